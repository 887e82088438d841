// gateway_list_servers: every backend with its description, transport, state and tool count.

import GatewayBackends
import GatewayCapabilities
import MCPProtocol

struct ListServersTool {
    let pool: BackendPool
    let catalog: Catalog
    let capabilities: CapabilityCatalog?

    func run() async -> [UInt8] {
        await catalog.ensureDiscovered()
        var servers: [JSONValue] = []
        for backend in pool.backends {
            let status = await backend.status()
            var entry = JSONObject()
            entry["name"] = .string(status.name)
            if !status.description.isEmpty { entry["description"] = .string(status.description) }
            entry["transport"] = .string(status.transport)
            entry["status"] = .string(status.state.rawValue)
            entry["tools"] = status.toolCount.map { .int($0) } ?? .null
            if let error = status.lastError, status.state != .running { entry["error"] = .string(error) }
            servers.append(.object(entry))
        }
        if let capabilities {
            var entry = JSONObject()
            entry["name"] = .string(capabilities.serverName)
            entry["description"] = .string(Catalog.capabilitiesDescription)
            entry["transport"] = "capability"
            entry["status"] = "running"
            entry["tools"] = .int(capabilities.tools.count)
            let broken = capabilities.problems.filter(\.isError).count
            if broken > 0 { entry["error"] = .string("\(broken) capability file(s) failed to load; see the gateway log") }
            servers.append(.object(entry))
        }
        return ToolResult.structured(["servers": .array(servers)])
    }
}
