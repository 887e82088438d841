// JSON-RPC over one transport: request ids, correlation, deadlines, cancellation, progress
// routing, the backend's notifications, and requests the backend sends back (elicitation,
// sampling) routed to the call that caused them.

import Logging
import MCPProtocol
import Synchronization

public typealias ProgressHandler = @Sendable (_ params: JSONValue) -> Void

/// Receives a backend log message (`notifications/message` params) meant for the client behind
/// a call; `server` names the backend.
public typealias LogHandler = @Sendable (_ server: String, _ params: RawJSON?) -> Void

/// Answers a request the backend sent during one of our calls (e.g. `elicitation/create`).
public typealias ServerRequestHandler = @Sendable (_ method: String, _ params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject>

/// Per-call hooks: where the call's progress and the backend's requests go.
public struct RequestHooks: Sendable {
    public var onProgress: ProgressHandler?
    public var onServerRequest: ServerRequestHandler?
    /// Who is behind the call (a client session). A backend request that cannot be tied
    /// to one call is only routed when every candidate call belongs to the same client.
    public var client: String?
    /// The capabilities the client behind the call declared (nil: no client, e.g. the
    /// gateway's own tools/list). A 2026-07-28 backend is told them with each request.
    public var clientCapabilities: JSONValue?
    /// Where the backend's log messages go while this call is in flight (nil: nowhere).
    public var onLog: LogHandler?

    public init(onProgress: ProgressHandler? = nil, onServerRequest: ServerRequestHandler? = nil, client: String? = nil,
                clientCapabilities: JSONValue? = nil, onLog: LogHandler? = nil) {
        self.onProgress = onProgress
        self.onServerRequest = onServerRequest
        self.client = client
        self.clientCapabilities = clientCapabilities
        self.onLog = onLog
    }
}

public struct ConnectionHandlers: Sendable {
    /// The backend's name, given to log handlers.
    public var serverName = ""
    public var onToolsListChanged: @Sendable () -> Void = {}
    public var onNotification: @Sendable (_ method: String, _ params: RawJSON?) -> Void = { _, _ in }
    public var onClosed: @Sendable (_ reason: String) -> Void = { _ in }
    /// The operator's roots for this backend (`backends.NAME.roots`), as a `roots/list` result:
    /// answered here, never relayed to a client. Nil: the calling client's roots are relayed.
    public var configuredRoots: RawJSON?
    public init() {}
}

public final class RPCConnection: Sendable {
    let transport: any MessageTransport
    let logger: Logger
    let handlers: ConnectionHandlers
    private let state = Mutex<State>(State())
    /// Told when a 2026-07-28 backend acknowledges a `subscriptions/listen` stream (set by the
    /// session that keeps the stream, which exists only after the connection does).
    private let listenAcknowledged = Mutex<(@Sendable () -> Void)?>(nil)

    func onListenAcknowledged(_ handler: @escaping @Sendable () -> Void) {
        listenAcknowledged.withLock { $0 = handler }
    }

    struct Pending {
        /// Absent until the caller starts waiting; a reply or failure that comes first waits in `early`.
        var continuation: CheckedContinuation<JSONRPCMessage, any Error>?
        var early: Result<JSONRPCMessage, BackendError>?
        var progressToken: String?
        var onServerRequest: ServerRequestHandler?
        var client: String?
        var onLog: LogHandler?
        var deadline: ContinuousClock.Instant
        var timeout: Duration
        /// Requests of the backend being answered by the client: the deadline waits for them.
        var waitingOnClient = 0
        /// The POST carrying the request, kept when closing it is how a call is cancelled.
        var sending: Task<Void, Never>?
        /// A request answered only when the session ends (`subscriptions/listen`): not a call.
        var standing = false
    }

    struct State {
        var nextID = 1
        var pending: [Int: Pending] = [:]
        var progress: [String: ProgressHandler] = [:]
        var closedReason: String?
        var sweeper: Task<Void, Never>?
        /// 2026-07-28 over HTTP: a call is cancelled by closing its response stream, not by
        /// `notifications/cancelled`.
        var cancelsByClosingStream = false
        /// How many of the backend's log messages may still be relayed (LogFloodGate).
        var logGate = LogFloodGate()
    }

    public init(transport: any MessageTransport, logger: Logger, handlers: ConnectionHandlers) {
        self.transport = transport
        self.logger = logger
        self.handlers = handlers
    }

    public var isClosed: Bool { state.withLock { $0.closedReason != nil } }

    /// Requests sent and not answered yet (an idle or retired session closes at zero), the
    /// 2026-07-28 `subscriptions/listen` stream left out: it stays open for the session's life.
    public var inFlight: Int { state.withLock { $0.pending.values.count { !$0.standing } } }

    public func setCancelsByClosingStream(_ value: Bool) {
        state.withLock { $0.cancelsByClosingStream = value }
    }

    public func start() async throws(BackendError) {
        try await transport.start { [weak self] event in
            guard let self else { return }
            switch event {
            case .message(let bytes, let related): self.receive(bytes, related: related)
            case .closed(let reason): self.transportClosed(reason)
            }
        }
    }

    /// Sends a request and waits for its response (a result or an error response).
    public func request(method: String, params: ArraySlice<UInt8>?, timeout: Duration,
                        onProgress: ProgressHandler? = nil) async throws(BackendError) -> JSONRPCMessage {
        try await request(method: method, params: params, timeout: timeout, hooks: RequestHooks(onProgress: onProgress))
    }

    /// `meta` members go into `params._meta` (the 2026-07-28 envelope), with the progress token
    /// and the trace context the task carries (TraceContextPropagation.outbound).
    public func request(method: String, params: ArraySlice<UInt8>?, timeout: Duration,
                        hooks: RequestHooks, meta: [(String, JSONValue)] = []) async throws(BackendError) -> JSONRPCMessage {
        let (id, token): (Int, String?) = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            return (id, hooks.onProgress == nil ? nil : "gw-\(id)")
        }
        var members = meta
        if let token { members.append(("progressToken", .string(token))) }
        // The gateway's exchange span, when tracing is on: the backend's work joins the trace.
        if let trace = TraceContextPropagation.outbound { members += trace.metaMembers }
        let payload: ArraySlice<UInt8>? = members.isEmpty ? params : ProgressTokenSplicer.splice(meta: members, into: params)[...]
        let bytes = JSONRPCEncoder.request(id: .int(id), method: method, params: payload)
        let deadline = ContinuousClock.now + timeout
        let closed: String? = state.withLock { state in
            if let reason = state.closedReason { return reason }
            state.pending[id] = Pending(continuation: nil, early: nil, progressToken: token,
                                        onServerRequest: hooks.onServerRequest, client: hooks.client,
                                        onLog: hooks.onLog, deadline: deadline, timeout: timeout,
                                        standing: method == "subscriptions/listen")
            if let token, let onProgress = hooks.onProgress { state.progress[token] = onProgress }
            if state.sweeper == nil {
                state.sweeper = Task { [weak self] in await self?.sweepDeadlines() }
            }
            return nil
        }
        if let closed { throw .closed(closed) }
        do {
            return try await withTaskCancellationHandler {
                if transport.sendsRequestsInline {
                    // The answer comes on this task (no hop to another); one that streams is read
                    // by a task of the transport's, so a deadline never waits for the stream.
                    // Over stdio only the write happens here; the answer comes through the receiver.
                    do throws(BackendError) {
                        let reading = try await transport.sendRequest(bytes, id: id, deadline: deadline) { error in
                            self.fail(id: id, with: error, notifyBackend: false)
                        }
                        if let reading { keepCancellable(reading, for: id) }
                    } catch {
                        // The transport gave up at the request's own deadline: that is its timeout.
                        if ContinuousClock.now >= deadline, !Task.isCancelled {
                            fail(id: id, with: .timeout(seconds: Self.seconds(timeout)), notifyBackend: true)
                        } else {
                            fail(id: id, with: error, notifyBackend: false)
                        }
                    }
                } else {
                    // HTTP sends wait for the reply stream; a deadline must not wait for them.
                    let sending = Task {
                        do throws(BackendError) {
                            try await self.transport.send(bytes, relatedRequest: id)
                        } catch {
                            self.fail(id: id, with: error, notifyBackend: false)
                        }
                    }
                    keepCancellable(sending, for: id)
                }
                return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONRPCMessage, any Error>) in
                    let early = state.withLock { state -> Result<JSONRPCMessage, BackendError>?? in
                        guard var pending = state.pending[id] else { return .some(nil) }
                        if let early = pending.early {
                            state.pending[id] = nil
                            return .some(early)
                        }
                        pending.continuation = continuation
                        state.pending[id] = pending
                        return .none
                    }
                    switch early {
                    case .none: break
                    case .some(.some(.success(let message))): continuation.resume(returning: message)
                    case .some(.some(.failure(let error))): continuation.resume(throwing: error)
                    case .some(.none): continuation.resume(throwing: BackendError.closed("request vanished"))
                    }
                }
            } onCancel: {
                self.fail(id: id, with: .cancelled, notifyBackend: true)
            }
        } catch let error as BackendError {
            throw error
        } catch {
            throw .protocolError("\(error)")
        }
    }

    /// Where closing the answer's stream is how a call is cancelled, keeps the task carrying it
    /// (cancelling it at once if the call is already over).
    private func keepCancellable(_ task: Task<Void, Never>, for id: Int) {
        let alreadyOver = state.withLock { state -> Bool in
            guard state.cancelsByClosingStream else { return false }
            guard let pending = state.pending[id], pending.early == nil else { return true }
            state.pending[id]?.sending = task
            return false
        }
        if alreadyOver { task.cancel() }
    }

    /// One sweeper per connection fails requests whose deadline passed, unless the client
    /// is answering one of the backend's requests for them (an elicitation can take minutes).
    private func sweepDeadlines() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            let now = ContinuousClock.now
            let expired = state.withLock { state -> [(Int, Duration)] in
                if state.closedReason != nil { return [] }
                return state.pending.compactMap { id, pending in
                    pending.early == nil && pending.waitingOnClient == 0 && now >= pending.deadline ? (id, pending.timeout) : nil
                }
            }
            if state.withLock({ $0.closedReason != nil }) { return }
            for (id, timeout) in expired {
                fail(id: id, with: .timeout(seconds: Self.seconds(timeout)), notifyBackend: true)
            }
        }
    }

    public func notify(method: String, params: ArraySlice<UInt8>?) async throws(BackendError) {
        try await transport.send(JSONRPCEncoder.notification(method: method, params: params), relatedRequest: nil)
    }

    public func close() async {
        await transport.close()
        transportClosed("closed by the gateway")
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Completes a request: resumes its waiter, or parks the outcome for a waiter yet to come.
    /// Returns false if the request was already complete.
    @discardableResult
    private func complete(_ id: Int, with outcome: Result<JSONRPCMessage, BackendError>) -> Bool {
        let waiter = state.withLock { state -> (found: Bool, continuation: CheckedContinuation<JSONRPCMessage, any Error>?) in
            guard var pending = state.pending[id], pending.early == nil else { return (false, nil) }
            if let token = pending.progressToken { state.progress[token] = nil }
            pending.sending = nil
            if let continuation = pending.continuation {
                state.pending[id] = nil
                return (true, continuation)
            }
            pending.early = outcome
            state.pending[id] = pending
            return (true, nil)
        }
        if let continuation = waiter.continuation {
            switch outcome {
            case .success(let message): continuation.resume(returning: message)
            case .failure(let error): continuation.resume(throwing: error)
            }
        }
        return waiter.found
    }

    private func fail(id: Int, with error: BackendError, notifyBackend: Bool) {
        let (byClosing, sending) = state.withLock { ($0.cancelsByClosingStream, $0.pending[id]?.sending) }
        guard complete(id, with: .failure(error)) else { return }
        if notifyBackend, byClosing {
            sending?.cancel()
        } else if notifyBackend {
            let params = JSONWriter.encode(["requestId": .int(id), "reason": .string(error.description)])
            Task { try? await self.notify(method: "notifications/cancelled", params: params[...]) }
        }
    }

    private func transportClosed(_ reason: String) {
        let (ids, sweeper) = state.withLock { state -> ([Int], Task<Void, Never>?) in
            if state.closedReason == nil { state.closedReason = reason }
            return (Array(state.pending.keys), state.sweeper)
        }
        sweeper?.cancel()
        for id in ids { complete(id, with: .failure(.closed(reason))) }
        handlers.onClosed(reason)
    }

    private func receive(_ bytes: [UInt8], related: Int?) {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(bytes)
        } catch {
            // Servers that print banners to stdout are common; skip the line, keep the connection.
            logger.debug("ignored non-JSON-RPC output: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
            return
        }
        switch message.kind {
        case .response, .errorResponse:
            guard case .int(let id)? = message.id else { return }
            complete(id, with: .success(message))
        case .notification:
            handleNotification(message, related: related)
        case .request:
            handleServerRequest(message, related: related)
        }
    }

    private func handleNotification(_ message: JSONRPCMessage, related: Int?) {
        switch message.method {
        case "notifications/progress":
            guard let params = try? message.paramsValue(), let token = params["progressToken"] else { return }
            let key: String
            switch token {
            case .string(let s): key = s
            case .int(let i): key = String(i)
            default: return
            }
            let handler = state.withLock { $0.progress[key] }
            handler?(params)
        case "notifications/tools/list_changed":
            handlers.onToolsListChanged()
        case "notifications/subscriptions/acknowledged":
            logger.debug("listening: subscriptions/listen acknowledged")
            listenAcknowledged.withLock { $0 }?()
        case "notifications/message":
            let params = message.paramsRaw
            let (audience, droppedBefore) = logAudience(related: related)
            let server = handlers.serverName
            if droppedBefore < 0 { logger.notice("dropping log messages of this backend: more than \(Int(LogFloodGate.rate)) a second") }
            let warning = droppedBefore > 0 ? RawJSON(LogFloodGate.warning(dropped: droppedBefore, server: server)) : nil
            for handler in audience {
                if let warning { handler(server, warning) }
                handler(server, params)
            }
        case let method?:
            handlers.onNotification(method, message.paramsRaw)
        case nil:
            break
        }
    }

    /// Who hears a backend log message: never every client of the gateway, only the clients
    /// of the calls it can belong to. A message on a call's own reply stream (Streamable HTTP)
    /// belongs to that call alone; one the transport cannot tie to a call (stdio, SSE,
    /// WebSocket, a GET stream) goes to the clients with calls in flight on this backend, once
    /// per client. With nothing in flight it is dropped.
    ///
    /// Beyond LogFloodGate's rate nothing is relayed (`droppedBefore` counts what was not, for
    /// the warning that precedes the next message relayed; -1: this one is the first dropped).
    func logAudience(related: Int?) -> (handlers: [LogHandler], droppedBefore: Int) {
        let now = ContinuousClock.now
        return state.withLock { state in
            let (relay, droppedBefore) = state.logGate.admit(now: now)
            guard relay else { return ([], state.logGate.dropped == 1 ? -1 : 0) }
            if let related {
                guard let pending = state.pending[related], pending.early == nil, let handler = pending.onLog else { return ([], droppedBefore) }
                return ([handler], droppedBefore)
            }
            var clients = Set<String>()
            var handlers: [LogHandler] = []
            for (id, pending) in state.pending where pending.early == nil {
                guard let handler = pending.onLog, clients.insert(pending.client ?? "call-\(id)").inserted else { continue }
                handlers.append(handler)
            }
            return (handlers, droppedBefore)
        }
    }

    enum Owner {
        case call(id: Int, handler: ServerRequestHandler)
        case none
        /// Calls of several clients are in flight and the transport says nothing about which
        /// one asked: guessing could show one person's question to another.
        case ambiguous
    }

    /// The call a backend request belongs to: the one whose reply stream carried it
    /// (Streamable HTTP); otherwise (stdio, SSE, WebSocket carry no association) the newest
    /// in-flight call, provided all candidates belong to one client. A client's call that
    /// cannot answer (one through /mcp/{backend}) is still a candidate: its question must not
    /// be put to another client.
    private func owner(of related: Int?) -> Owner {
        state.withLock { state in
            if let related, let pending = state.pending[related], let handler = pending.onServerRequest {
                return .call(id: related, handler: handler)
            }
            let candidates = state.pending.filter {
                ($0.value.onServerRequest != nil || $0.value.client != nil) && $0.value.early == nil
            }
            // A call without a known client counts as a client of its own.
            let clients = Set(candidates.map { $0.value.client ?? "call-\($0.key)" })
            if clients.count > 1 { return .ambiguous }
            let answering = candidates.filter { $0.value.onServerRequest != nil }
            guard let newest = answering.keys.max(), let handler = answering[newest]?.onServerRequest else { return .none }
            return .call(id: newest, handler: handler)
        }
    }

    private func handleServerRequest(_ message: JSONRPCMessage, related: Int?) {
        let method = message.method ?? ""
        if method == "ping" {
            let reply = JSONRPCEncoder.result(id: message.id, result: Array("{}".utf8)[...])
            Task { try? await self.transport.send(reply, relatedRequest: nil) }
            return
        }
        if method == "roots/list", let roots = handlers.configuredRoots {
            let reply = JSONRPCEncoder.result(id: message.id, result: roots.bytes[...])
            Task { try? await self.transport.send(reply, relatedRequest: nil) }
            return
        }
        let resolved = self.owner(of: related)
        guard case .call(let ownerID, let ownerHandler) = resolved else {
            let reason = if case .ambiguous = resolved {
                "several clients have calls in flight on this server and its transport does not say which call asked"
            } else {
                "no client request in flight can answer it"
            }
            let reply = JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.methodNotFound,
                                             message: "\(method) is not available: \(reason)")
            Task { try? await self.transport.send(reply, relatedRequest: nil) }
            return
        }
        let owner = (id: ownerID, handler: ownerHandler)
        state.withLock { $0.pending[owner.id]?.waitingOnClient += 1 }
        let params = message.paramsRaw
        Task {
            let outcome = await owner.handler(method, params)
            self.state.withLock { state in
                if var pending = state.pending[owner.id] {
                    pending.waitingOnClient -= 1
                    pending.deadline = .now + pending.timeout
                    state.pending[owner.id] = pending
                }
            }
            let reply: [UInt8]
            switch outcome {
            case .success(let result): reply = JSONRPCEncoder.result(id: message.id, result: result.bytes[...])
            case .failure(let error): reply = JSONRPCEncoder.error(id: message.id, error: error)
            }
            try? await self.transport.send(reply, relatedRequest: nil)
        }
    }
}
