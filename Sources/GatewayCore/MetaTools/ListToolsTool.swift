// gateway_list_tools: one server's tools in full, or every tool as a one-line summary.

import GatewayAuth
import GatewayCapabilities
import GatewayConfig
import MCPProtocol
import ToolSearch

struct ListToolsTool {
    let pool: BackendPool
    let catalog: Catalog
    let capabilities: CapabilityCatalog?
    let access: AccessControl
    var maxNameLength = ServerLimits.defaultMaxNameLength

    func run(arguments: JSONValue, principal: Principal) async -> [UInt8] {
        let server = arguments["server"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let scope = access.access(for: principal)
        if let server {
            if let problem = NameLengthLimit.problem(server, what: "server name", limit: maxNameLength) {
                return ToolResult.error(problem, structured: ["error": "name_too_long", "limit": .int(maxNameLength)])
            }
            // A server the caller may not see answers as one that does not exist.
            guard scope.isVisible(.server(server)) else {
                return UnknownNameReply.unknownServer(server, catalog: access.view(of: catalog.snapshot, for: principal))
            }
            let visible: (String) -> Bool = { scope.isVisible(.tool(server: server, name: $0)) }
            if let capabilities, server == capabilities.serverName {
                return ToolResult.structured([
                    "server": .string(server),
                    "tools": .array(capabilities.tools.filter { visible($0.name) }.map { .raw($0.raw) }),
                ])
            }
            guard let backend = pool.backend(named: server) else {
                return UnknownNameReply.unknownServer(server, catalog: access.view(of: catalog.snapshot, for: principal))
            }
            let tools: [CatalogEntry]
            do {
                tools = try await backend.listTools().map { CatalogEntry(server: server, tool: $0) }
            } catch {
                let cached = catalog.snapshot.tools(of: server)
                guard !cached.isEmpty else {
                    return ToolResult.error("Server '\(server)' is unavailable: \(error)")
                }
                tools = cached
            }
            return ToolResult.structured([
                "server": .string(server),
                "tools": .array(tools.filter { visible($0.tool.name) }.map { .raw($0.tool.raw) }),
            ])
        }
        await catalog.ensureDiscovered()
        let snapshot = access.view(of: catalog.snapshot, for: principal)
        let tools: [JSONValue] = snapshot.entries.map {
            ["server": .string($0.server), "name": .string($0.tool.name), "description": .string($0.summary)]
        }
        var result = JSONObject()
        result["tools"] = .array(tools)
        result["total"] = .int(tools.count)
        UnavailableServersNote.add(snapshot.unavailableServers, to: &result)
        return ToolResult.structured(.object(result))
    }
}
