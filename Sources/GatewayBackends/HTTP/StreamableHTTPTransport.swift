// MCP Streamable HTTP toward a backend: one POST per message, answered with JSON or an
// event stream. Before 2026-07-28: the session id and protocol version headers, a GET
// stream for the server's own notifications, DELETE on close. At 2026-07-28: no session,
// routing headers repeated from each body, errors carried in 4xx bodies.

import AsyncHTTPClient
import Logging
import MCPProtocol
import NIOCore
import NIOHTTP1
import Synchronization

public final class StreamableHTTPTransport: MessageTransport {
    public var kind: String { "streamable_http" }
    let url: String
    /// `url` taken apart once; nil if it does not parse (every send then fails clearly).
    let target: HTTPTarget?
    let headers: [String: String]
    let client: HTTPClient
    let logger: Logger
    let requestTimeout: Duration
    private let state = Mutex<State>(State())

    struct State {
        var receiver: TransportReceiver?
        var sessionID: String?
        var protocolVersion: String?
        var listenTask: Task<Void, Never>?
        var closed = false
        var modern = false
        var paramMaps: [String: ParamHeaderMap] = [:]
        /// The headers of a legacy POST, the same for every message of a session: built once
        /// (validating and adding each header cost ~3.5k instructions a call, callgrind) and
        /// dropped whenever the session id, the protocol version or the era changes.
        var postHeaders: HTTPHeaders?

        mutating func setSession(_ id: String?) {
            sessionID = id
            postHeaders = nil
        }
    }

    public init(url: String, headers: [String: String], client: HTTPClient, requestTimeout: Duration, logger: Logger) {
        self.url = url
        target = HTTPTarget(url)
        self.headers = headers
        self.client = client
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    public func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        state.withLock { $0.receiver = receiver }
    }

    private func makeHeaders(accept: String, message: [UInt8]? = nil) -> HTTPHeaders {
        var fields = HTTPHeaders()
        fields.reserveCapacity(headers.count + 5)
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        // Without configured headers there is nothing to replace: appending spares a scan and
        // an array rebuild per header on every call.
        let replacing = !headers.isEmpty
        func set(_ name: String, _ value: String) {
            if replacing { fields.replaceOrAdd(name: name, value: value) } else { fields.add(name: name, value: value) }
        }
        set("accept", accept)
        let (session, version, modern, paramMaps) = state.withLock { ($0.sessionID, $0.protocolVersion, $0.modern, $0.paramMaps) }
        if modern, let message {
            for (name, value) in ModernRoutingHeaders.headers(for: message, paramMaps: paramMaps) {
                fields.replaceOrAdd(name: name, value: value)
            }
            return fields
        }
        if let session { set("mcp-session-id", session) }
        if let version { set("mcp-protocol-version", version) }
        return fields
    }

    /// A POST's headers: the session's cached ones in the legacy era; in 2026-07-28 each
    /// message's own routing headers.
    private func postHeaders(for message: [UInt8]) -> HTTPHeaders {
        if let cached = state.withLock({ $0.modern ? nil : $0.postHeaders }) { return cached }
        let (session, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
        var fields = makeHeaders(accept: "application/json, text/event-stream", message: message)
        fields.replaceOrAdd(name: "content-type", value: "application/json")
        state.withLock { state in
            // Cached only if nothing changed while it was built.
            if !state.modern, state.sessionID == session, state.protocolVersion == version { state.postHeaders = fields }
        }
        return fields
    }

    private func exchange(_ method: HTTPMethod, headers: HTTPHeaders, body: [UInt8]? = nil,
                          deadline: NIODeadline? = nil) async throws -> BackendHTTPResponse {
        guard let target else { throw BackendError.unreachable("\(url): not a valid URL") }
        return try await BackendHTTP.send(client, to: target, method: method, headers: headers, body: body, deadline: deadline)
    }

    public func setModernEra(_ modern: Bool) async {
        state.withLock { state in
            state.modern = modern
            state.setSession(nil)
        }
    }

    public func setParamHeaderMaps(_ maps: [String: ParamHeaderMap]) {
        state.withLock { $0.paramMaps = maps }
    }

    public func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        let deadline = NIODeadline.now() + .seconds(requestTimeout.components.seconds + 5)
        guard let (response, receiver) = try await post(message, relatedRequest: relatedRequest, deadline: deadline) else { return }
        try await deliver(response, to: receiver, relatedRequest: relatedRequest)
        if relatedRequest != nil { throw Self.unanswered }
    }

    /// A request's answer (its JSON body, or its event stream to the end) that did not carry
    /// the response: nothing else will (POST streams are not resumed), so the call fails now
    /// rather than at its deadline. Raised after every delivery; a call already answered
    /// ignores it. A protocol error, not `.closed`: the connection is fine (and a 2026-07-28
    /// listener stops for good on `.closed`, while on this it listens again).
    static let unanswered = BackendError.protocolError("the answer to the POST ended without a JSON-RPC response")

    /// `http://` backends: the lean client's exchange needs no task of its own.
    public var sendsRequestsInline: Bool { target?.isPlain == true }

    public func sendRequest(_ message: [UInt8], id: Int, deadline: ContinuousClock.Instant,
                            onStreamFailure: @escaping @Sendable (BackendError) -> Void) async throws(BackendError) -> Task<Void, Never>? {
        let answerBy = NIODeadline.now() + TimeAmount(max(deadline - ContinuousClock.now, .zero))
        guard let (response, receiver) = try await post(message, relatedRequest: id, deadline: answerBy) else { return nil }
        guard case .stream = response.body else {
            try await deliver(response, to: receiver, relatedRequest: id)
            throw Self.unanswered
        }
        return Task {
            do throws(BackendError) {
                try await deliver(response, to: receiver, relatedRequest: id)
                onStreamFailure(Self.unanswered)
            } catch {
                onStreamFailure(error)
            }
        }
    }

    private func deliver(_ response: BackendHTTPResponse, to receiver: TransportReceiver,
                         relatedRequest: Int?) async throws(BackendError) {
        do {
            try await HTTPBodyReader.deliver(response, to: receiver, relatedRequest: relatedRequest)
        } catch {
            throw Self.asBackendError(error, url: url)
        }
    }

    /// POSTs one message. Returns the answer still to be delivered, or nil when there is none
    /// (202) or it has been delivered already (a 2026-07-28 refusal).
    private func post(_ message: [UInt8], relatedRequest: Int?, deadline: NIODeadline) async throws(BackendError)
        -> (BackendHTTPResponse, TransportReceiver)? {
        guard let receiver = state.withLock({ $0.closed ? nil : $0.receiver }) else { throw .closed("transport closed") }
        var fields = postHeaders(for: message)
        if let trace = TraceContextPropagation.outbound { BackendHTTP.addTraceHeaders(trace, to: &fields) }
        let (hadSession, modern) = state.withLock { ($0.sessionID != nil, $0.modern) }
        do {
            let response = try await exchange(.POST, headers: fields, body: message, deadline: deadline)
            let status = response.status
            // Only an accepted request opens a session (the SDK mints an id even on a 400).
            if (200..<300).contains(status), !modern, let session = response.headers.first(name: "mcp-session-id") {
                state.withLock { if $0.sessionID == nil { $0.setSession(session) } }
            }
            if status == 404 && hadSession {
                throw BackendError.sessionExpired
            }
            guard (200..<300).contains(status) else {
                // At 2026-07-28 a refused request says why in a JSON-RPC error body.
                guard modern, (400..<500).contains(status) else {
                    throw BackendError.http(status: status, detail: await HTTPBodyReader.excerpt(response))
                }
                let refusal = await HTTPBodyReader.refusal(response)
                guard let reply = refusal.reply else { throw BackendError.http(status: status, detail: refusal.excerpt) }
                receiver(.message(reply, relatedRequest: relatedRequest))
                return nil
            }
            if status == 202 { return nil }
            return (response, receiver)
        } catch {
            throw Self.asBackendError(error, url: url)
        }
    }

    static func asBackendError(_ error: any Error, url: String) -> BackendError {
        if let error = error as? BackendError { return error }
        return .unreachable("\(url): \(error)")
    }

    public func didInitialize(protocolVersion: String) async {
        state.withLock {
            $0.protocolVersion = protocolVersion
            $0.postHeaders = nil
        }
        let task = Task { [weak self] () -> Void in await self?.listen() }
        state.withLock { $0.listenTask = task }
    }

    /// The optional GET stream for notifications the server sends outside a request
    /// (tools/list_changed above all). Reconnects with Last-Event-ID while open.
    private func listen() async {
        var lastEventID: String?
        var failures = 0
        while !Task.isCancelled, !(state.withLock { $0.closed }), failures < 5 {
            guard let receiver = state.withLock({ $0.receiver }) else { return }
            var fields = makeHeaders(accept: "text/event-stream")
            if let lastEventID { fields.replaceOrAdd(name: "last-event-id", value: lastEventID) }
            do {
                let response = try await exchange(.GET, headers: fields)
                guard response.status == 200, response.isEventStream else {
                    // 405: the server offers no stream; that is allowed.
                    return
                }
                failures = 0
                let box = Mutex<String?>(lastEventID)
                try await HTTPBodyReader.deliver(response, to: receiver) { id in box.withLock { $0 = id } }
                lastEventID = box.withLock { $0 }
            } catch {
                failures += 1
            }
            try? await Task.sleep(for: .milliseconds(200 * (failures + 1)))
        }
    }

    public func close() async {
        let (task, session, wasClosed) = state.withLock { state in
            defer { state.closed = true }
            return (state.listenTask, state.sessionID, state.closed)
        }
        task?.cancel()
        guard !wasClosed else { return }
        if session != nil {
            _ = try? await exchange(.DELETE, headers: makeHeaders(accept: "application/json"), deadline: .now() + .seconds(2))
        }
        state.withLock { $0.receiver?(.closed(reason: "closed by the gateway")) }
    }
}
