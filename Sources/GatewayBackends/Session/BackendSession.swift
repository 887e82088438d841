// An open MCP session with one backend, in the era the backend speaks: the era probe or the
// handshake, the server's identity, and the calls the gateway makes (tools/list with
// pagination, any request relayed). For a 2026-07-28 backend it also stamps each request's
// envelope, turns `input_required` into questions to the client, keeps the listen stream,
// and serves locally what that era dropped (ping, logging/setLevel, resources/subscribe).

import GatewayConfig
import Logging
import MCPProtocol
import Synchronization

public enum BackendEra: String, Sendable {
    case handshake
    case modern
}

public final class BackendSession: Sendable {
    public let connection: RPCConnection
    public let era: BackendEra
    public let protocolVersion: String
    public let serverInfo: RawJSON?
    public let capabilities: RawJSON?
    public let instructions: String?
    let serverName: String
    let transport: any MessageTransport
    private let modernState = Mutex<ModernState>(ModernState())
    private let listener = Mutex<BackendListener?>(nil)

    struct ModernState {
        var logLevel: String?
    }

    public static let clientInfo: JSONValue = ["name": "mcp-gateway", "version": .string(GatewayVersion.current)]
    /// How long a listen stream may stay open: as long as the session lives.
    static let listenTimeout: Duration = .seconds(10 * 365 * 86_400)
    /// How long a new session waits for its listen stream's acknowledgement.
    static let listenAcknowledgementLimit: Duration = .seconds(2)

    init(connection: RPCConnection, transport: any MessageTransport, era: BackendEra, protocolVersion: String,
         serverInfo: RawJSON?, capabilities: RawJSON?, instructions: String?, serverName: String) {
        self.connection = connection
        self.transport = transport
        self.era = era
        self.protocolVersion = protocolVersion
        self.serverInfo = serverInfo
        self.capabilities = capabilities
        self.instructions = instructions
        self.serverName = serverName
    }

    /// Starts the transport, finds out the backend's era (unless pinned), and opens the session.
    public static func open(transport: any MessageTransport, logger: Logger, handlers: ConnectionHandlers,
                            timeout: Duration, protocol requested: BackendProtocol = .handshake(ProtocolVersion.latest),
                            serverName: String = "backend") async throws(BackendError) -> BackendSession {
        let connection = RPCConnection(transport: transport, logger: logger, handlers: handlers)
        try await connection.start()
        do throws(BackendError) {
            var handshakeVersion = ProtocolVersion.latest
            switch requested {
            case .handshake(let version):
                handshakeVersion = version
            case .auto, .modern:
                switch try await probe(connection: connection, transport: transport, timeout: timeout) {
                case .modern(let discovered):
                    let session = modernSession(connection: connection, transport: transport, discovered: discovered,
                                                serverName: serverName, handlers: handlers)
                    // Listening has no replay: a tool added before the backend listens for the
                    // gateway would never be announced, so nothing is asked of it before then.
                    await session.listener.withLock { $0 }?.waitUntilListening(limit: min(timeout, listenAcknowledgementLimit))
                    logger.info("speaking 2026-07-28")
                    return session
                case .incompatible(let reason):
                    throw BackendError.protocolError("no protocol version in common: \(reason)")
                case .handshake(let reason):
                    if requested == .modern {
                        throw BackendError.protocolError("configured for 2026-07-28, but \(reason)")
                    }
                    logger.info("using the initialize handshake (\(reason))")
                }
            }
            return try await initialize(connection: connection, transport: transport, version: handshakeVersion,
                                        timeout: timeout, serverName: serverName)
        } catch {
            await connection.close()
            throw error
        }
    }

    private static func probe(connection: RPCConnection, transport: any MessageTransport,
                              timeout: Duration) async throws(BackendError) -> DiscoverProbe.Outcome {
        await transport.setModernEra(true)
        let outcome: DiscoverProbe.Outcome
        do throws(BackendError) {
            let reply = try await connection.request(
                method: DiscoverProbe.method, params: nil, timeout: timeout,
                hooks: RequestHooks(), meta: ModernEnvelope.members(logLevel: nil))
            outcome = DiscoverProbe.classify(reply: reply)
        } catch {
            guard let answer = DiscoverProbe.classify(error: error) else { throw error }
            outcome = answer
        }
        if case .modern = outcome { return outcome }
        await transport.setModernEra(false)
        return outcome
    }

    private static func modernSession(connection: RPCConnection, transport: any MessageTransport, discovered: RawJSON,
                                      serverName: String, handlers: ConnectionHandlers) -> BackendSession {
        let bytes = discovered.bytes
        var capabilities: RawJSON?
        var instructions: String?
        var serverInfo: RawJSON?
        for member in (try? JSONScanner.members(of: bytes)) ?? [] {
            switch member.key {
            case "capabilities": capabilities = RawJSON(bytes[member.range])
            case "instructions": instructions = JSONScanner.string(in: bytes, range: member.range)
            case "serverInfo": serverInfo = RawJSON(bytes[member.range])
            case "_meta":
                let meta = (try? JSONScanner.members(of: bytes, in: member.range)) ?? []
                if let info = meta.first(where: { $0.key == ModernEnvelope.serverInfoKey }) {
                    serverInfo = RawJSON(bytes[info.range])
                }
            default: continue
            }
        }
        // Over HTTP a 2026-07-28 call is cancelled by closing its stream.
        connection.setCancelsByClosingStream(transport.kind == "streamable_http")
        let session = BackendSession(connection: connection, transport: transport, era: .modern,
                                     protocolVersion: ModernEnvelope.version, serverInfo: serverInfo,
                                     capabilities: capabilities, instructions: instructions, serverName: serverName)
        let listener = BackendListener(
            send: { [weak session] params throws(BackendError) in
                guard let session else { throw BackendError.closed("session closed") }
                return try await session.connection.request(
                    method: "subscriptions/listen", params: params, timeout: listenTimeout, hooks: RequestHooks(),
                    meta: session.envelope())
            },
            onResync: handlers.onToolsListChanged)
        session.listener.withLock { $0 = listener }
        connection.onListenAcknowledged { [weak listener] in listener?.acknowledged() }
        listener.start()
        return session
    }

    private static func initialize(connection: RPCConnection, transport: any MessageTransport, version: String,
                                   timeout: Duration, serverName: String) async throws(BackendError) -> BackendSession {
        // Elicitation and sampling are relayed to the client whose call triggers them. Roots are
        // declared only when the operator configured them: servers ask at start-up, when there is
        // no client to ask, and the gateway can answer only from its own configuration.
        var declared = JSONObject()
        declared["elicitation"] = .object(JSONObject())
        declared["sampling"] = .object(JSONObject())
        if connection.handlers.configuredRoots != nil { declared["roots"] = .object(JSONObject()) }
        let params: JSONValue = [
            "protocolVersion": .string(version),
            "capabilities": .object(declared),
            "clientInfo": clientInfo,
        ]
        let reply = try await connection.request(method: "initialize", params: JSONWriter.encode(params)[...], timeout: timeout)
        guard reply.kind == .response, let result = reply.result else {
            throw BackendError.protocolError("initialize failed: \(reply.errorValue()?.message ?? "no result")")
        }
        let bytes = Array(result)
        var negotiated = version
        var serverInfo: RawJSON?
        var capabilities: RawJSON?
        var instructions: String?
        for member in (try? JSONScanner.members(of: bytes)) ?? [] {
            switch member.key {
            case "protocolVersion": negotiated = JSONScanner.string(in: bytes, range: member.range) ?? negotiated
            case "serverInfo": serverInfo = RawJSON(bytes[member.range])
            case "capabilities": capabilities = RawJSON(bytes[member.range])
            case "instructions": instructions = JSONScanner.string(in: bytes, range: member.range)
            default: continue
            }
        }
        await transport.didInitialize(protocolVersion: negotiated)
        try await connection.notify(method: "notifications/initialized", params: nil)
        return BackendSession(connection: connection, transport: transport, era: .handshake, protocolVersion: negotiated,
                              serverInfo: serverInfo, capabilities: capabilities, instructions: instructions,
                              serverName: serverName)
    }

    func envelope(clientCapabilities: JSONValue? = nil, configuredRoots: Bool = false) -> [(String, JSONValue)] {
        ModernEnvelope.members(logLevel: modernState.withLock { $0.logLevel }, clientCapabilities: clientCapabilities,
                               configuredRoots: configuredRoots)
    }

    // MARK: Requests

    /// Relays one request in the backend's era.
    public func request(method: String, params: ArraySlice<UInt8>?, timeout: Duration,
                        hooks: RequestHooks = RequestHooks()) async throws(BackendError) -> JSONRPCMessage {
        guard era == .modern else {
            return try await connection.request(method: method, params: params, timeout: timeout, hooks: hooks)
        }
        if let local = modernLocalAnswer(method: method, params: params) {
            // A changed subscription replaced the listen stream: answer once the backend listens
            // with the new filter (no replay: an update right after the answer must not be lost,
            // and the replaced stream, closed then, must not linger).
            if method == "resources/subscribe" || method == "resources/unsubscribe" {
                await listener.withLock { $0 }?.waitUntilListening(limit: min(timeout, Self.listenAcknowledgementLimit))
            }
            return local
        }
        let connection = self.connection
        let roots = connection.handlers.configuredRoots
        let meta = envelope(clientCapabilities: hooks.clientCapabilities, configuredRoots: roots != nil)
        return try await InputRequiredRounds.run(method: method, params: params, hooks: hooks, server: serverName,
                                                 configuredRoots: roots) { current throws(BackendError) in
            try await connection.request(method: method, params: current, timeout: timeout, hooks: hooks, meta: meta)
        }
    }

    /// What a 2026-07-28 backend no longer serves, answered by the gateway: `ping`, the log
    /// level (sent with every request instead), resource subscriptions (the listen filter).
    private func modernLocalAnswer(method: String, params: ArraySlice<UInt8>?) -> JSONRPCMessage? {
        let parsed = params.flatMap { try? JSONParser.parse($0) }
        switch method {
        case "ping":
            break
        case "logging/setLevel":
            let level = parsed?["level"]?.stringValue
            modernState.withLock { $0.logLevel = level }
        case "resources/subscribe", "resources/unsubscribe":
            guard let uri = parsed?["uri"]?.stringValue else {
                return Self.localReply(error: JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "uri is required"))
            }
            let listener = self.listener.withLock { $0 }
            if method == "resources/subscribe" { listener?.subscribe(uri) } else { listener?.unsubscribe(uri) }
        default:
            return nil
        }
        return try? JSONRPCMessage.decode(JSONRPCEncoder.result(id: .int(0), result: Array("{}".utf8)[...]))
    }

    private static func localReply(error: JSONRPCErrorObject) -> JSONRPCMessage? {
        try? JSONRPCMessage.decode(JSONRPCEncoder.error(id: .int(0), error: error))
    }

    /// Every tool, following `nextCursor` to the end (bounded, against a looping server).
    /// A 2026-07-28 tool whose `x-mcp-header` annotations are invalid cannot be called over
    /// HTTP and is left out, as the spec asks of clients.
    public func listTools(timeout: Duration) async throws(BackendError) -> [ToolDefinition] {
        var tools: [ToolDefinition] = []
        var cursor: String?
        var seenCursors: Set<String> = []
        for _ in 0..<1000 {
            let params: [UInt8]? = cursor.map { JSONWriter.encode(["cursor": .string($0)]) }
            let reply = try await request(method: "tools/list", params: params?[...], timeout: timeout)
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
        if era == .modern { tools = applyParamHeaders(tools) }
        return tools
    }

    private func applyParamHeaders(_ tools: [ToolDefinition]) -> [ToolDefinition] {
        var maps: [String: ParamHeaderMap] = [:]
        let kept = tools.filter { tool in
            // Cheap test first: almost no schema carries the annotation.
            guard tool.inputSchema.string.contains(ParamHeaderMap.annotationKey) else { return true }
            guard let schema = try? tool.inputSchema.parsed() else { return true }
            switch ParamHeaderMap.parse(schema: schema) {
            case .success(let map):
                maps[tool.name] = map
                return true
            case .failure:
                return false
            }
        }
        if let http = transport as? StreamableHTTPTransport { http.setParamHeaderMaps(maps) }
        return kept
    }

    /// Whether the server declared a capability (e.g. "logging", "resources").
    public func declares(_ capability: String) -> Bool {
        guard let capabilities, let value = try? capabilities.parsed() else { return false }
        return value[capability] != nil
    }

    public func close() async {
        listener.withLock { $0 }?.stop()
        await connection.close()
    }
}
