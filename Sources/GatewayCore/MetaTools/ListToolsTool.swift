// gateway_list_tools: one server's tools in full, or every tool as a one-line summary.

import GatewayAuth
import GatewayCapabilities
import GatewayConfig
import GatewayProfiles
import MCPProtocol
import ToolSearch

struct ListToolsTool {
    let pool: BackendPool
    let catalog: Catalog
    let capabilities: CapabilityCatalog?
    let access: AccessControl
    var maxNameLength = ServerLimits.defaultMaxNameLength
    var profiles: ToolProfiles?

    func run(arguments: JSONValue, principal: Principal) async -> [UInt8] {
        let server = arguments["server"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let withStats = ToolStatsIncluded.isRequested(arguments)
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
                let tools = capabilities.tools.filter { visible($0.name) }
                return await Self.fullListing(server: server, tools: tools.map { ($0.name, $0.raw) }, withStats: withStats,
                                              profiles: profiles)
            }
            guard let backend = pool.backend(named: server) else {
                return UnknownNameReply.unknownServer(server, catalog: access.view(of: catalog.snapshot, for: principal))
            }
            let tools: [CatalogEntry]
            do {
                let listed = try await backend.listTools()
                // A live list passes tool pinning as the catalog's lists do.
                tools = catalog.pinning.admit(server: server, tools: listed).map {
                    CatalogEntry(server: server, tool: $0.tool, pinChange: $0.change)
                }
            } catch {
                let cached = catalog.snapshot.tools(of: server)
                guard !cached.isEmpty else {
                    return ToolResult.error("Server '\(server)' is unavailable: \(error)")
                }
                tools = cached
            }
            let shown = tools.filter { visible($0.tool.name) }
                .map { ($0.tool.name, $0.pinChange == nil ? $0.tool.raw : Self.flaggedChanged($0.tool.raw)) }
            return await Self.fullListing(server: server, tools: shown, withStats: withStats, profiles: profiles)
        }
        await catalog.ensureDiscovered()
        let snapshot = access.view(of: catalog.snapshot, for: principal)
        let stats = withStats ? await ToolStatsIncluded.totals(profiles) : nil
        let tools: [JSONValue] = snapshot.entries.map {
            var entry = JSONObject([("server", .string($0.server)), ("name", .string($0.tool.name)), ("description", .string($0.summary))])
            if $0.pinChange != nil { entry["changed"] = true }
            if let stats { entry["stats"] = ToolStatsIncluded.json(stats[.init(server: $0.server, tool: $0.tool.name)]) }
            return .object(entry)
        }
        var result = JSONObject()
        result["tools"] = .array(tools)
        result["total"] = .int(tools.count)
        if withStats && stats == nil { result["stats_unavailable"] = .string(ToolStatsIncluded.unavailableNote) }
        UnavailableServersNote.add(snapshot.unavailableServers, to: &result)
        return ToolResult.structured(.object(result))
    }

    /// One server's tools in full; with statistics, each tool object gets a `stats` member.
    private static func fullListing(server: String, tools: [(name: String, raw: RawJSON)], withStats: Bool,
                                    profiles: ToolProfiles?) async -> [UInt8] {
        var result = JSONObject([("server", .string(server))])
        guard withStats else {
            result["tools"] = .array(tools.map { .raw($0.raw) })
            return ToolResult.structured(.object(result))
        }
        guard let stats = await ToolStatsIncluded.totals(profiles, server: server) else {
            result["tools"] = .array(tools.map { .raw($0.raw) })
            result["stats_unavailable"] = .string(ToolStatsIncluded.unavailableNote)
            return ToolResult.structured(.object(result))
        }
        result["tools"] = .array(tools.map { tool in
            guard case .object(var object)? = try? JSONParser.parse(tool.raw.bytes) else { return .raw(tool.raw) }
            object["stats"] = ToolStatsIncluded.json(stats[.init(server: server, tool: tool.name)])
            return .object(object)
        })
        return ToolResult.structured(.object(result))
    }

    /// A tool object with `"changed":true` as its first member (tool pinning, warn mode).
    static func flaggedChanged(_ raw: RawJSON) -> RawJSON {
        guard let open = raw.bytes.firstIndex(of: UInt8(ascii: "{")) else { return raw }
        var bytes = Array(raw.bytes[...open])
        bytes.append(contentsOf: #""changed":true,"#.utf8)
        bytes.append(contentsOf: raw.bytes[(open + 1)...])
        return RawJSON(bytes)
    }
}
