// One MCP client on a connection that carries whole messages (stdio, a WebSocket, a legacy SSE
// session): the era its first request fixed, what initialize negotiated, its requests in flight,
// and requests relayed to it. Every message to the client leaves through one `write` closure.

import GatewayAuth
import GatewayConfig
import GatewayCore
import MCPProtocol
import ServiceLifecycle
import Synchronization

final class MessageConnection: Sendable {
    let gateway: Gateway
    var dispatcher: MCPDispatcher { gateway.dispatcher }
    let write: @Sendable ([UInt8]) -> Void
    /// Requests relayed to this client (elicitation, sampling, roots), waiting for its answers.
    let broker = ClientRequestBroker()
    /// This client's requests in progress, for `notifications/cancelled`.
    let inflight = InFlightRequests()
    let sessionID: String
    /// Elements one batch may hold (server.limits.max_batch_size).
    let maxBatchSize: Int
    private let context: Mutex<ClientContext>

    enum Era { case legacy, modern }
    private let fixedEra = Mutex<Era?>(nil)

    /// Who the client is, fixed when the connection opened (the gate's decision, or stdio's owner).
    let principal: Principal

    /// The front end this connection belongs to (stdio, websocket, sse).
    let frontEnd: FrontEnd

    init(sessionID: String, principal: Principal, gateway: Gateway, frontEnd: FrontEnd = .unknown,
         maxBatchSize: Int = ServerLimits.defaultMaxBatchSize, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.frontEnd = frontEnd
        self.sessionID = sessionID
        self.principal = principal
        self.maxBatchSize = maxBatchSize
        self.gateway = gateway
        self.write = write
        self.context = Mutex(ClientContext(principal: principal, sessionID: sessionID, logLevel: ClientLogLevel(), frontEnd: frontEnd))
    }

    var channel: MessageClientChannel {
        MessageClientChannel(context: context.withLock { $0 }, write: write, broker: broker)
    }

    /// Whether session-wide notifications (list changes, log messages, resource updates) may be
    /// sent: only in a handshake-era session; at 2026-07-28 they travel on listen streams only.
    var acceptsSessionNotifications: Bool { fixedEra.withLock { $0 == .legacy } }

    /// The first request fixes the era for the life of the connection, as the spec says:
    /// `initialize` means a session era; an enveloped request or `server/discover` the stateless one.
    func era(for message: JSONRPCMessage) -> Era {
        fixedEra.withLock { era in
            if let era { return era }
            let enveloped = (try? message.paramsValue())?["_meta"]?[ModernEra.MetaKey.protocolVersion] != nil
            let chosen: Era = message.method != "initialize" && (enveloped || message.method == "server/discover") ? .modern : .legacy
            era = chosen
            return chosen
        }
    }

    /// Handles one incoming message or batch; whatever answers it is written, not returned.
    func handle(_ bytes: [UInt8]) async {
        guard JSONScanner.isArray(bytes) else {
            if let reply = await handleOne(bytes) { write(reply) }
            return
        }
        guard let ranges = try? JSONScanner.elements(of: bytes, in: 0..<bytes.count), !ranges.isEmpty else {
            write(JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: "Invalid Request: empty batch"))
            return
        }
        guard ranges.count <= maxBatchSize else {
            write(BatchLimit.refusal(count: ranges.count, limit: maxBatchSize))
            return
        }
        var replies: [[UInt8]] = []
        for range in ranges {
            if let reply = await handleOne(Array(bytes[range])) { replies.append(reply) }
        }
        guard !replies.isEmpty else { return }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, reply) in replies.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: reply)
        }
        out.append(UInt8(ascii: "]"))
        write(out)
    }

    private func handleOne(_ bytes: [UInt8]) async -> [UInt8]? {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(bytes)
        } catch {
            return JSONRPCEncoder.error(id: error.id, code: error.code, message: error.message)
        }
        switch message.kind {
        case .response, .errorResponse:
            broker.resolve(message)
            return nil
        case .notification:
            if message.method == "notifications/cancelled" { inflight.cancel(params: try? message.paramsValue()) }
            return nil
        case .request:
            break
        }
        switch era(for: message) {
        case .modern:
            return await handleModern(message)
        case .legacy:
            break
        }
        if message.method == "initialize" {
            let start = MonotonicNanoseconds.now()
            if let refusal = await dispatcher.check(IncomingRequest(method: "initialize", principal: principal)) {
                let reply = JSONRPCEncoder.error(id: message.id, error: refusal)
                dispatcher.recordAnswered(message, reply: reply, context: context.withLock { $0 }, since: start)
                return reply
            }
            let params = try? message.paramsValue()
            let result = dispatcher.initializeResult(requestedVersion: params?["protocolVersion"]?.stringValue, principal: principal)
            let answered = context.withLock {
                $0.protocolVersion = result["protocolVersion"]?.stringValue ?? ProtocolVersion.latest
                $0.capabilities = params?["capabilities"]
                return $0
            }
            let reply = JSONRPCEncoder.result(id: message.id, result: result)
            dispatcher.recordAnswered(message, reply: reply, context: answered, since: start)
            return reply
        }
        guard let id = message.id else { return nil }
        let channel = self.channel
        let dispatcher = self.dispatcher
        return await run(id) { await dispatcher.handle(message, channel: channel) }
    }

    /// A 2026-07-28 request: envelope checked, no headers; `initialize` refused.
    private func handleModern(_ message: JSONRPCMessage) async -> [UInt8]? {
        if message.method == "initialize" {
            return JSONRPCEncoder.error(id: message.id, code: ModernEra.ErrorCode.unsupportedProtocolVersion,
                                        message: "This connection speaks 2026-07-28 (fixed by its first request)",
                                        data: ["supported": [.string(ModernEra.version)]])
        }
        let params = message.paramsMembers
        let envelope: ModernEra.Envelope
        switch ModernEra.envelope(of: message, params: params) {
        case .success(let e): envelope = e
        case .failure(.missing(let what)):
            return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "Missing \(what)")
        }
        guard envelope.protocolVersion == ModernEra.version else {
            return ModernEra.unsupportedVersion(id: message.id, requested: envelope.protocolVersion)
        }
        guard let id = message.id else { return nil }
        if message.method == "subscriptions/listen" {
            // Answered here, not by the dispatcher: the request chain is asked here.
            if let refusal = await dispatcher.check(IncomingRequest(method: "subscriptions/listen", principal: principal)) {
                return JSONRPCEncoder.error(id: id, error: refusal)
            }
            return await listen(message, id: id)
        }
        let channel = ModernClientChannel(envelope: envelope, principal: principal, frontEnd: frontEnd, sink: write)
        let dispatcher = self.dispatcher
        return await run(id) { await dispatcher.handleModern(message, params: params, channel: channel) }
    }

    /// A listen stays open until the client cancels it (`notifications/cancelled`, no answer),
    /// the connection closes, or the gateway stops (then the final result is sent).
    private func listen(_ message: JSONRPCMessage, id: JSONRPCID) async -> [UInt8]? {
        let write = self.write
        let subscription = ListenSubscription(gateway: gateway, request: message, subscriber: "\(sessionID)-listen-\(id)",
                                              principal: principal,
                                              origin: CallOrigin(frontEnd: frontEnd, protocolVersion: ModernEra.version)) { write($0) }
        let reply = await run(id) {
            await subscription.subscribeResources()
            let shutDown = await Self.waitUntilCancelledOrShutdown()
            await subscription.close()
            return shutDown ? subscription.finalResult(id: id) : nil
        }
        return reply
    }

    /// True when the gateway is shutting down gracefully, false when the task was cancelled.
    private static func waitUntilCancelledOrShutdown() async -> Bool {
        let (stream, _) = AsyncStream<Never>.makeStream()
        for await _ in stream.cancelOnGracefulShutdown() {}
        return !Task.isCancelled
    }

    /// Runs one request as its own task, cancellable by `notifications/cancelled` and by the
    /// caller's own cancellation (the connection closing).
    private func run(_ id: JSONRPCID, _ work: @escaping @Sendable () async -> [UInt8]?) async -> [UInt8]? {
        let task = Task { await work() }
        inflight.register(id, cancel: { task.cancel() })
        let reply = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        inflight.finished(id)
        // A cancelled request gets no response, as the spec says.
        return task.isCancelled ? nil : reply
    }

    /// The client went away: stop its requests and fail what it was asked.
    func close() {
        inflight.cancelAll()
        broker.cancelAll()
    }
}

struct MessageClientChannel: ClientChannel {
    let context: ClientContext
    let write: @Sendable ([UInt8]) -> Void
    let broker: ClientRequestBroker

    func notify(_ message: [UInt8]) { write(message) }

    func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        await broker.request(method: method, params: params, write: write)
    }
}
