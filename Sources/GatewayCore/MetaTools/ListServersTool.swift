// gateway_list_servers: every backend with its description, transport, state and tool count,
// as the caller's scopes let it see them (hidden servers left out, counts of visible tools).

import GatewayBackends
import GatewayCapabilities
import MCPProtocol

struct ListServersTool {
    let pool: BackendPool
    let capabilities: CapabilityCatalog?
    let breakers: CircuitBreakers?

    func run(view: CatalogView) async -> [UInt8] {
        var servers: [JSONValue] = []
        let counts = view.toolCounts()
        for backend in pool.backends where view.isServerVisible(backend.name) {
            let status = await backend.status()
            var entry = JSONObject()
            entry["name"] = .string(status.name)
            if !status.description.isEmpty { entry["description"] = .string(status.description) }
            entry["transport"] = .string(status.transport)
            entry["status"] = .string(status.state.rawValue)
            // What the caller can see in the catalog: tool pinning's held tools and the
            // caller's hidden ones are not counted. Null while the backend has no list yet.
            entry["tools"] = status.toolCount.map { _ in .int(counts[status.name] ?? 0) } ?? .null
            if let error = status.lastError, status.state != .running { entry["error"] = .string(error) }
            // The reference's name for it; only with `failsafe.circuit_breaker` configured.
            if let breakers, breakers.isEnabled { entry["circuit_breaker"] = .string(breakers.stateName(of: status.name)) }
            servers.append(.object(entry))
        }
        if let capabilities, view.isServerVisible(capabilities.serverName) {
            var entry = JSONObject()
            entry["name"] = .string(capabilities.serverName)
            entry["description"] = .string(Catalog.capabilitiesDescription)
            entry["transport"] = "capability"
            entry["status"] = "running"
            entry["tools"] = .int(counts[capabilities.serverName] ?? 0)
            let broken = capabilities.problems.filter(\.isError).count
            if broken > 0 { entry["error"] = .string("\(broken) capability file(s) failed to load; see the gateway log") }
            servers.append(.object(entry))
        }
        return ToolResult.structured(["servers": .array(servers)])
    }
}
