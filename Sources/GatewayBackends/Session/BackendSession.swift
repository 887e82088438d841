// An initialized MCP session with one backend: the handshake, the server's identity, and
// the calls the gateway makes (tools/list with pagination, any request relayed).

import Logging
import MCPProtocol

public final class BackendSession: Sendable {
    public let connection: RPCConnection
    public let protocolVersion: String
    public let serverInfo: RawJSON?
    public let capabilities: RawJSON?
    public let instructions: String?

    public static let clientInfo: JSONValue = ["name": "mcp-gateway", "version": .string(GatewayVersion.current)]

    init(connection: RPCConnection, protocolVersion: String, serverInfo: RawJSON?, capabilities: RawJSON?, instructions: String?) {
        self.connection = connection
        self.protocolVersion = protocolVersion
        self.serverInfo = serverInfo
        self.capabilities = capabilities
        self.instructions = instructions
    }

    /// Starts the transport and performs `initialize` + `notifications/initialized`.
    public static func open(transport: any MessageTransport, logger: Logger, handlers: ConnectionHandlers,
                            timeout: Duration) async throws(BackendError) -> BackendSession {
        let connection = RPCConnection(transport: transport, logger: logger, handlers: handlers)
        try await connection.start()
        do throws(BackendError) {
            let params: JSONValue = [
                "protocolVersion": .string(ProtocolVersion.latest),
                // Elicitation and sampling are relayed to the client whose call triggers them.
                // Roots are not declared: servers would ask at start-up, with no client to ask.
                "capabilities": ["elicitation": .object(JSONObject()), "sampling": .object(JSONObject())],
                "clientInfo": clientInfo,
            ]
            let reply = try await connection.request(method: "initialize", params: JSONWriter.encode(params)[...], timeout: timeout)
            guard reply.kind == .response, let result = reply.result else {
                throw BackendError.protocolError("initialize failed: \(reply.errorValue()?.message ?? "no result")")
            }
            let bytes = Array(result)
            let members = (try? JSONScanner.members(of: bytes)) ?? []
            var version = ProtocolVersion.latest
            var serverInfo: RawJSON?
            var capabilities: RawJSON?
            var instructions: String?
            for member in members {
                switch member.key {
                case "protocolVersion": version = JSONScanner.string(in: bytes, range: member.range) ?? version
                case "serverInfo": serverInfo = RawJSON(bytes[member.range])
                case "capabilities": capabilities = RawJSON(bytes[member.range])
                case "instructions": instructions = JSONScanner.string(in: bytes, range: member.range)
                default: continue
                }
            }
            await transport.didInitialize(protocolVersion: version)
            try await connection.notify(method: "notifications/initialized", params: nil)
            return BackendSession(connection: connection, protocolVersion: version, serverInfo: serverInfo,
                                  capabilities: capabilities, instructions: instructions)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Every tool, following `nextCursor` to the end (bounded, against a looping server).
    public func listTools(timeout: Duration) async throws(BackendError) -> [ToolDefinition] {
        var tools: [ToolDefinition] = []
        var cursor: String?
        var seenCursors: Set<String> = []
        for _ in 0..<1000 {
            let params: [UInt8]? = cursor.map { JSONWriter.encode(["cursor": .string($0)]) }
            let reply = try await connection.request(method: "tools/list", params: params?[...], timeout: timeout)
            guard reply.kind == .response, let result = reply.result else {
                throw BackendError.remote(reply.errorValue() ?? JSONRPCErrorObject(code: JSONRPCErrorCode.internalError, message: "tools/list failed"))
            }
            let page: (tools: [ToolDefinition], nextCursor: String?)
            do {
                page = try ToolDefinition.parsePage(Array(result))
            } catch {
                throw BackendError.protocolError("invalid tools/list result: \(error)")
            }
            tools.append(contentsOf: page.tools)
            guard let next = page.nextCursor, seenCursors.insert(next).inserted else { break }
            cursor = next
        }
        return tools
    }

    /// Whether the server declared a capability (e.g. "logging", "resources").
    public func declares(_ capability: String) -> Bool {
        guard let capabilities, let value = try? capabilities.parsed() else { return false }
        return value[capability] != nil
    }

    public func close() async {
        await connection.close()
    }
}
