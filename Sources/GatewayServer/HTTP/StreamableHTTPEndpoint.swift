// The gateway's MCP endpoint over Streamable HTTP (`/mcp`): POST carries client messages
// (answered with JSON or an event stream), GET opens the session's notification stream,
// DELETE ends the session. Checks Origin, Host, Content-Type, size, session and version.

import GatewayAuth
import GatewayConfig
import GatewayCore
import Hummingbird
import HTTPTypes
import Logging
import MCPProtocol
import NIOCore
import ServiceLifecycle

struct StreamableHTTPEndpoint: Sendable {
    let gateway: Gateway
    let sessions: SessionStore
    let policy: OriginPolicy
    /// Identities: the lean path asks it (the routed path was admitted before routing).
    let gate: RequestGate
    let maxBodySize: Int
    let keepAliveInterval: Duration
    let limits: ServerLimits
    let logger: Logger
    /// 2026-07-28 POSTs whose client may leave (shared by all of them: one poller).
    let closedConnections = ClosedConnectionWatch()

    /// The same endpoint for 2026-07-28 requests.
    var modern: ModernHTTPEndpoint {
        ModernHTTPEndpoint(gateway: gateway, maxBodySize: maxBodySize, closedConnections: closedConnections,
                           outboundLimit: limits.outboundBuffer, logger: logger)
    }

    /// Checks shared by every method: Origin (403) and Host (403).
    func guardRequest(_ request: Request) -> Response? {
        guardHeaders(origin: request.headers.value(.origin), host: request.head.authority)
    }

    func guardHeaders(origin: String?, host: String?) -> Response? {
        guard let reason = policy.refusal(origin: origin, host: host) else { return nil }
        return HTTPReplies.rpcError(.forbidden, code: JSONRPCErrorCode.invalidRequest, message: reason)
    }

    func post(_ request: Request, channel: (any Channel)? = nil, principal: Principal) async -> Response {
        let headers = PostHeaders(request)
        if let rejected = guardHeaders(origin: headers.origin, host: headers.host) { return rejected }
        if ModernHTTPEndpoint.isModern(version: headers.protocolVersion) {
            return await modern.post(request, headers: headers, channel: channel, principal: principal)
        }
        if let rejected = contentProblem(headers) { return rejected }
        let body: [UInt8]
        switch await request.readBody(upTo: maxBodySize, tooLarge: tooLarge) {
        case .bytes(let bytes): body = bytes
        case .refused(let response): return response
        }
        switch prepare(headers, body: body, principal: principal) {
        case .answered(let response): return response
        case .batch: return await postBatch(request, body, principal: principal)
        case .initialize(let message):
            let start = MonotonicNanoseconds.now()
            if let refusal = await gateway.dispatcher.check(IncomingRequest(method: "initialize", principal: principal)) {
                let reply = JSONRPCEncoder.error(id: message.id, error: refusal)
                gateway.dispatcher.recordAnswered(message, reply: reply, context: ClientContext(principal: principal, frontEnd: .streamableHTTP),
                                                  since: start)
                return HTTPReplies.json(reply)
            }
            return initialize(message, principal: principal, since: start)
        case .clientMessage(let message, let session):
            await handleClientMessage(message, session: session)
            return HTTPReplies.accepted()
        case .request(let message, let session): return await reply(to: message, session: session, connection: channel)
        }
    }

    /// What a session-era POST's body is, after every check that needs no work done: shared
    /// by `post` and the plain-JSON fast path (PlainPostHandler).
    enum Preparation {
        /// Answered already: a malformed message or a missing, unknown or mismatched session.
        case answered(Response)
        case batch
        case initialize(JSONRPCMessage)
        /// A notification or a response from the client.
        case clientMessage(JSONRPCMessage, ClientSession)
        case request(JSONRPCMessage, ClientSession)
    }

    func prepare(_ headers: PostHeaders, body: [UInt8], principal: Principal) -> Preparation {
        if JSONScanner.isArray(body) { return .batch }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(body)
        } catch {
            return .answered(HTTPReplies.rpcError(.badRequest, code: error.code, message: error.message, id: error.id))
        }
        if message.kind == .request && message.method == "initialize" {
            return .initialize(message)
        }
        switch resolveSession(headers, principal: principal) {
        case .failure(let response): return .answered(response)
        case .success(let session):
            return message.kind == .request ? .request(message, session) : .clientMessage(message, session)
        }
    }

    /// Content-Type, Accept and declared size of a session-era POST.
    func contentProblem(_ headers: PostHeaders) -> Response? {
        guard AcceptHeader.isJSON(headers.contentType) else {
            return HTTPReplies.rpcError(.unsupportedMediaType, code: JSONRPCErrorCode.invalidRequest,
                                        message: "Content-Type must be application/json")
        }
        if let accept = headers.accept,
           !(AcceptHeader.lists(accept, "application/json") || AcceptHeader.lists(accept, "text/event-stream") || AcceptHeader.lists(accept, "*/*")) {
            return HTTPReplies.rpcError(.notAcceptable, code: JSONRPCErrorCode.invalidRequest,
                                        message: "Accept must include application/json and text/event-stream")
        }
        if let length = headers.contentLength.flatMap(Int.init), length > maxBodySize {
            return tooLarge()
        }
        return nil
    }

    private func tooLarge() -> Response {
        HTTPReplies.rpcError(.contentTooLarge, code: JSONRPCErrorCode.invalidRequest,
                             message: "Request body exceeds server.max_body_size (\(maxBodySize) bytes)")
    }

    private func initialize(_ message: JSONRPCMessage, principal: Principal, since start: Int64) -> Response {
        let params = try? message.paramsValue()
        let result = gateway.dispatcher.initializeResult(requestedVersion: params?["protocolVersion"]?.stringValue, principal: principal)
        let version = result["protocolVersion"]?.stringValue ?? ProtocolVersion.latest
        let context = ClientContext(principal: principal, protocolVersion: version, capabilities: params?["capabilities"],
                                    logLevel: ClientLogLevel(), frontEnd: .streamableHTTP)
        guard let session = sessions.create(context: context) else {
            sessions.budget.noteRefusal("session", logger: logger)
            gateway.dispatcher.recordAnswered(message, reply: nil, context: context, since: start, failed: true)
            return sessions.budget.refusal(id: message.id)
        }
        // The id is a credential: info logs carry a tag of it only.
        logger.info("session started", metadata: ["session": "\(SessionTag.of(session.id))", "protocol": "\(version)",
                                                  "principal": "\(principal.name)",
                                                  "client": "\(params?["clientInfo"]?["name"]?.stringValue ?? "?")"])
        logger.debug("session id", metadata: ["session": "\(SessionTag.of(session.id))", "id": "\(session.id)"])
        var headers = HTTPFields()
        headers[.mcpSessionID] = session.id
        let reply = JSONRPCEncoder.result(id: message.id, result: result)
        gateway.dispatcher.recordAnswered(message, reply: reply, context: context, since: start)
        return HTTPReplies.json(reply, headers: headers)
    }

    enum SessionLookup { case success(ClientSession), failure(Response) }

    private func resolveSession(_ request: Request, principal: Principal) -> SessionLookup {
        resolveSession(sessionID: request.headers.value(.mcpSessionID), protocolVersion: request.headers.value(.mcpProtocolVersion),
                       principal: principal)
    }

    func resolveSession(_ headers: PostHeaders, principal: Principal) -> SessionLookup {
        resolveSession(sessionID: headers.sessionID, protocolVersion: headers.protocolVersion, principal: principal)
    }

    /// Another principal's session answers exactly as an unknown one.
    private func resolveSession(sessionID: String?, protocolVersion: String?, principal: Principal) -> SessionLookup {
        guard let id = sessionID, !id.isEmpty else {
            return .failure(HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest,
                                                 message: "Bad Request: Mcp-Session-Id header is required (send initialize first)"))
        }
        guard let session = sessions.session(id, for: principal) else {
            return .failure(HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest,
                                                 message: "Session not found: it expired or was deleted; initialize again"))
        }
        if let version = protocolVersion, !ProtocolVersion.isSupported(version) {
            return .failure(HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest,
                                                 message: "Unsupported MCP-Protocol-Version '\(version)'; supported: \(ProtocolVersion.supported.joined(separator: ", "))"))
        }
        return .success(session)
    }

    /// Notifications and responses from the client: answers to relayed requests meet their
    /// callers; a cancellation stops the request it names.
    private func handleClientMessage(_ message: JSONRPCMessage, session: ClientSession) async {
        switch message.kind {
        case .response, .errorResponse:
            if !session.broker.resolve(message) {
                logger.debug("ignored a response to an unknown request", metadata: ["session": "\(session.id)"])
            }
        case .notification where message.method == "notifications/cancelled":
            session.inflight.cancel(params: try? message.paramsValue())
        default:
            break
        }
    }

    /// The bound on what one connection's client leaves unread; past it, the connection closes.
    func outboundBuffer(_ connection: (any Channel)?, session: ClientSession, what: String) -> OutboundBuffer {
        OutboundBuffer(limit: limits.outboundBuffer, onOverflow: OutboundBuffer.closing(
            connection, limit: limits.outboundBuffer, logger: logger, what: what, session: session.id))
    }

    private func reply(to message: JSONRPCMessage, session: ClientSession, connection: (any Channel)?) async -> Response {
        if !ReplyStreaming.mayStream(message, context: session.context) {
            return await answerPlain(message, session: session)
        }
        let channel = ReplyChannel(session: session, buffer: outboundBuffer(connection, session: session, what: "POST event stream"))
        let dispatcher = gateway.dispatcher
        let client = PostClientChannel(context: session.context, reply: channel, broker: session.broker)
        let task = Task {
            let response = await dispatcher.handle(message, channel: client)
            channel.finish(Task.isCancelled ? nil : response)
            if let id = message.id { session.inflight.finished(id) }
        }
        if let id = message.id { session.inflight.register(id, cancel: { task.cancel() }) }
        switch await channel.decision() {
        case .json(let bytes):
            guard let bytes else { return HTTPReplies.accepted() }
            return HTTPReplies.json(bytes)
        case .stream(let stream):
            return HTTPReplies.eventStream(stream, buffer: channel.buffer)
        }
    }

    /// JSON-RPC batches (protocol 2025-03-26): every request answered, in one JSON array.
    private func postBatch(_ request: Request, _ body: [UInt8], principal: Principal) async -> Response {
        guard let ranges = try? JSONScanner.elements(of: body, in: 0..<body.count), !ranges.isEmpty else {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, message: "Invalid Request: empty or malformed batch")
        }
        guard ranges.count <= limits.maxBatchSize else {
            return HTTPReplies.json(BatchLimit.refusal(count: ranges.count, limit: limits.maxBatchSize), status: .badRequest)
        }
        let session: ClientSession
        switch resolveSession(request, principal: principal) {
        case .success(let s): session = s
        case .failure(let response): return response
        }
        guard ProtocolVersion.allowsBatches(session.context.protocolVersion) else {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest,
                                        message: "JSON-RPC batches are not part of protocol \(session.context.protocolVersion)")
        }
        let context = session.context
        let dispatcher = gateway.dispatcher
        let replies = await withTaskGroup(of: (Int, [UInt8]?).self) { group in
            for (index, range) in ranges.enumerated() {
                let element = Array(body[range])
                group.addTask {
                    do throws(JSONRPCDecodeError) {
                        let message = try JSONRPCMessage.decode(element)
                        return (index, await dispatcher.handle(message, channel: DetachedClientChannel(context: context)))
                    } catch {
                        return (index, JSONRPCEncoder.error(id: error.id, code: error.code, message: error.message))
                    }
                }
            }
            var collected: [(Int, [UInt8])] = []
            for await (index, reply) in group { if let reply { collected.append((index, reply)) } }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        guard !replies.isEmpty else { return HTTPReplies.accepted() }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, reply) in replies.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: reply)
        }
        out.append(UInt8(ascii: "]"))
        return HTTPReplies.json(out)
    }

    func get(_ request: Request, channel: (any Channel)? = nil, principal: Principal) async -> Response {
        if let rejected = guardRequest(request) { return rejected }
        if ModernHTTPEndpoint.isModern(request) { return ModernHTTPEndpoint.methodNotAllowed() }
        guard AcceptHeader.lists(request.headers.value(.accept), "text/event-stream") else {
            return HTTPReplies.rpcError(.notAcceptable, code: JSONRPCErrorCode.invalidRequest,
                                        message: "GET /mcp opens an event stream: Accept must include text/event-stream")
        }
        let session: ClientSession
        switch resolveSession(request, principal: principal) {
        case .success(let s): session = s
        case .failure(let response): return response
        }
        if let lastEventID = request.headers.value(.lastEventID), let position = PostStreamJournal.parse(eventID: lastEventID) {
            // Resuming a POST's stream: what came after that event, up to the final answer.
            guard let journal = session.postJournal(position.stream) else {
                return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest,
                                            message: "Event stream of '\(lastEventID)' is no longer kept; its answer cannot be resumed")
            }
            let buffer = outboundBuffer(channel, session: session, what: "resumed POST event stream")
            return HTTPReplies.eventStream(journal.resume(after: position.index, buffer: buffer).stream, buffer: buffer)
        }
        let buffer = outboundBuffer(channel, session: session, what: "GET event stream")
        let (streamID, stream) = session.openStream(lastEventID: request.headers.value(.lastEventID), buffer: buffer)
        // A client that drops the connection ends its stream now, not at the next keep-alive's
        // failed write (up to 15 s on): until then the session could not expire.
        channel?.closeFuture.whenComplete { _ in session.closeStream(streamID) }
        let interval = keepAliveInterval
        let keepAlive = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                session.sendRaw(ServerSentEvent.keepAlive, on: streamID)
            }
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            defer {
                keepAlive.cancel()
                session.closeStream(streamID)
            }
            // Open notification streams must not hold up a graceful shutdown.
            for await chunk in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(bytes: chunk))
                buffer.drained(chunk.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    func delete(_ request: Request, principal: Principal) async -> Response {
        if let rejected = guardRequest(request) { return rejected }
        if ModernHTTPEndpoint.isModern(request) { return ModernHTTPEndpoint.methodNotAllowed() }
        guard let id = request.headers.value(.mcpSessionID), !id.isEmpty else {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, message: "Mcp-Session-Id header is required")
        }
        guard await sessions.end(id, for: principal) else {
            return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest, message: "Session not found")
        }
        logger.info("session ended", metadata: ["session": "\(SessionTag.of(id))"])
        return Response(status: .noContent)
    }
}
