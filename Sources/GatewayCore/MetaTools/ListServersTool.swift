// gateway_list_servers: every backend with its description, transport, state and tool count,
// as the caller's scopes let it see them (hidden servers left out, counts of visible tools).

import GatewayBackends
import GatewayCapabilities
import MCPProtocol

struct ListServersTool {
    let pool: BackendPool
    let capabilities: CapabilityCatalog?

    func run(view: CatalogView) async -> [UInt8] {
        var servers: [JSONValue] = []
        for backend in pool.backends where view.isServerVisible(backend.name) {
            let status = await backend.status()
            var entry = JSONObject()
            entry["name"] = .string(status.name)
            if !status.description.isEmpty { entry["description"] = .string(status.description) }
            entry["transport"] = .string(status.transport)
            entry["status"] = .string(status.state.rawValue)
            // A filtered view counts what the caller can see; the backend's own count otherwise.
            entry["tools"] = status.toolCount.map { .int(view.isFiltered ? view.toolCount(of: status.name) : $0) } ?? .null
            if let error = status.lastError, status.state != .running { entry["error"] = .string(error) }
            servers.append(.object(entry))
        }
        if let capabilities, view.isServerVisible(capabilities.serverName) {
            var entry = JSONObject()
            entry["name"] = .string(capabilities.serverName)
            entry["description"] = .string(Catalog.capabilitiesDescription)
            entry["transport"] = "capability"
            entry["status"] = "running"
            entry["tools"] = .int(view.isFiltered ? view.toolCount(of: capabilities.serverName) : capabilities.tools.count)
            let broken = capabilities.problems.filter(\.isError).count
            if broken > 0 { entry["error"] = .string("\(broken) capability file(s) failed to load; see the gateway log") }
            servers.append(.object(entry))
        }
        return ToolResult.structured(["servers": .array(servers)])
    }
}
