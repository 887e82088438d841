// gateway_invoke: checks the server and tool names, then runs the call through the
// pipeline and relays the backend's CallToolResult unchanged.

import GatewayAuth
import GatewayBackends
import GatewayCapabilities
import GatewayConfig
import MCPProtocol

struct InvokeTool {
    let pool: BackendPool
    let catalog: Catalog
    let pipeline: CallPipeline
    let capabilities: CapabilityCatalog?
    let access: AccessControl
    var maxNameLength = ServerLimits.defaultMaxNameLength

    struct Request {
        var server: String
        var tool: String
        var arguments: [UInt8]
    }

    /// Reads `{server, tool, arguments}` without parsing the arguments themselves, unless
    /// they arrive as a JSON string (as some clients send them).
    static func parse(_ bytes: [UInt8]) -> Result<Request, InvokeArgumentError> {
        guard let members = try? JSONScanner.members(of: bytes) else {
            return .failure(.init("gateway_invoke arguments must be an object {server, tool, arguments}."))
        }
        var server: String?
        var tool: String?
        var arguments: [UInt8] = Array("{}".utf8)
        for member in members {
            switch member.key {
            case "server": server = JSONScanner.string(in: bytes, range: member.range)
            case "tool": tool = JSONScanner.string(in: bytes, range: member.range)
            case "arguments":
                let raw = bytes[member.range]
                switch raw.first {
                case UInt8(ascii: "{"): arguments = Array(raw)
                case UInt8(ascii: "n"): break
                case UInt8(ascii: "\""):
                    let text = JSONScanner.string(in: bytes, range: member.range) ?? ""
                    let inner = Array(text.utf8)
                    if text.trimmingWhitespace.isEmpty { break }
                    guard (try? JSONScanner.members(of: inner)) != nil else {
                        return .failure(.init("'arguments' is a string but not a JSON object: \(text.prefix(120))"))
                    }
                    arguments = inner
                default:
                    return .failure(.init("'arguments' must be an object (or a JSON string holding one)."))
                }
            default: continue
            }
        }
        guard let server, !server.isEmpty else { return .failure(.init("gateway_invoke needs 'server' (see gateway_list_servers).")) }
        guard let tool, !tool.isEmpty else { return .failure(.init("gateway_invoke needs 'tool' (see gateway_search_tools).")) }
        return .success(Request(server: server, tool: tool, arguments: arguments))
    }

    func run(arguments bytes: [UInt8], hooks: RequestHooks, principal: Principal) async -> ToolCallReply {
        let request: Request
        switch Self.parse(bytes) {
        case .success(let r): request = r
        case .failure(let e): return .result(ToolResult.error(e.message))
        }
        // Before any lookup: an unknown name's did-you-mean work grows with its length.
        if let problem = NameLengthLimit.problem(request.server, what: "server name", limit: maxNameLength)
            ?? NameLengthLimit.problem(request.tool, what: "tool name", limit: maxNameLength) {
            return .result(ToolResult.error(problem, structured: ["error": "name_too_long", "limit": .int(maxNameLength)]))
        }
        if let capabilities, request.server == capabilities.serverName {
            guard capabilities.definition(named: request.tool) != nil else {
                return .result(UnknownNameReply.unknownTool(request.tool, server: request.server, catalog: access.view(of: catalog.snapshot, for: principal)))
            }
        } else if let backend = pool.backend(named: request.server) {
            if let reply = await checkTool(request, on: backend, principal: principal) { return .result(reply) }
        } else {
            await catalog.ensureDiscovered()
            return .result(UnknownNameReply.unknownServer(request.server, tool: request.tool, catalog: access.view(of: catalog.snapshot, for: principal)))
        }
        let outcome = await pipeline.run(BackendCall(server: request.server, tool: request.tool, principal: principal,
                                                     arguments: request.arguments, hooks: hooks))
        if case .refused(let refusal) = outcome {
            guard case .hidden(_, let wholeServer) = refusal.reason else { return .error(refusal.error) }
            // A hidden tool (or server) answers exactly as one that does not exist.
            return .result(wholeServer
                ? UnknownNameReply.unknownServer(request.server, tool: request.tool, catalog: access.view(of: catalog.snapshot, for: principal))
                : UnknownNameReply.unknownTool(request.tool, server: request.server, catalog: access.view(of: catalog.snapshot, for: principal)))
        }
        return Self.render(outcome, server: request.server, tool: request.tool)
    }

    /// Checks the tool name against the backend's list when there is one; a backend whose
    /// list is unknown (not started, or failed to list) still gets the call.
    private func checkTool(_ request: Request, on backend: Backend, principal: Principal) async -> [UInt8]? {
        // A tool in the catalog is known without asking the backend's actor (a hop and a
        // scan of its list on every call).
        if catalog.snapshot.entry(server: request.server, tool: request.tool) != nil { return nil }
        if let tools = await backend.cachedTools(), !tools.contains(where: { $0.name == request.tool }) {
            let refreshed = (try? await backend.listTools(forceRefresh: true)) ?? tools
            if !refreshed.contains(where: { $0.name == request.tool }) {
                return UnknownNameReply.unknownTool(request.tool, server: request.server, catalog: access.view(of: catalog.snapshot, for: principal))
            }
        }
        return nil
    }

    static func render(_ outcome: CallOutcome, server: String, tool: String) -> ToolCallReply {
        switch outcome {
        case .result(let raw):
            return .result(raw.bytes)
        case .backendError(let error):
            return .result(ToolResult.error("Server '\(server)' rejected '\(tool)': \(error.message) (JSON-RPC \(error.code))",
                                            structured: ["error": "backend_error", "code": .int(error.code), "message": .string(error.message)]))
        case .failure(let error):
            return .result(ToolResult.error("Server '\(server)' failed on '\(tool)': \(error)",
                                            structured: ["error": "backend_unavailable", "message": .string(error.description)]))
        case .refused(let refusal):
            return .error(refusal.error)
        }
    }
}

struct InvokeArgumentError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
