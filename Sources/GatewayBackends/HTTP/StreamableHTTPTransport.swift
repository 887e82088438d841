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
    }

    public init(url: String, headers: [String: String], client: HTTPClient, requestTimeout: Duration, logger: Logger) {
        self.url = url
        self.headers = headers
        self.client = client
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    public func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        state.withLock { $0.receiver = receiver }
    }

    private func makeRequest(method: HTTPMethod, accept: String, message: [UInt8]? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.headers.replaceOrAdd(name: "accept", value: accept)
        let (session, version, modern, paramMaps) = state.withLock { ($0.sessionID, $0.protocolVersion, $0.modern, $0.paramMaps) }
        if modern, let message {
            for (name, value) in ModernRoutingHeaders.headers(for: message, paramMaps: paramMaps) {
                request.headers.replaceOrAdd(name: name, value: value)
            }
            return request
        }
        if let session { request.headers.replaceOrAdd(name: "mcp-session-id", value: session) }
        if let version { request.headers.replaceOrAdd(name: "mcp-protocol-version", value: version) }
        return request
    }

    public func setModernEra(_ modern: Bool) async {
        state.withLock { state in
            state.modern = modern
            state.sessionID = nil
        }
    }

    public func setParamHeaderMaps(_ maps: [String: ParamHeaderMap]) {
        state.withLock { $0.paramMaps = maps }
    }

    public func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        guard let receiver = state.withLock({ $0.closed ? nil : $0.receiver }) else { throw .closed("transport closed") }
        var request = makeRequest(method: .POST, accept: "application/json, text/event-stream", message: message)
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: message))
        let (hadSession, modern) = state.withLock { ($0.sessionID != nil, $0.modern) }
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000 + 5_000_000_000))
            let status = Int(response.status.code)
            // Only an accepted request opens a session (the SDK mints an id even on a 400).
            if (200..<300).contains(status), !modern, let session = response.headers.first(name: "mcp-session-id") {
                state.withLock { if $0.sessionID == nil { $0.sessionID = session } }
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
                return
            }
            if status == 202 { return }
            try await HTTPBodyReader.deliver(response, to: receiver, relatedRequest: relatedRequest)
        } catch let error as BackendError {
            throw error
        } catch {
            throw .unreachable("\(url): \(error)")
        }
    }

    public func didInitialize(protocolVersion: String) async {
        state.withLock { $0.protocolVersion = protocolVersion }
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
            var request = makeRequest(method: .GET, accept: "text/event-stream")
            if let lastEventID { request.headers.replaceOrAdd(name: "last-event-id", value: lastEventID) }
            do {
                let response = try await client.execute(request, deadline: .distantFuture)
                guard response.status.code == 200, HTTPBodyReader.isEventStream(response) else {
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
            let request = makeRequest(method: .DELETE, accept: "application/json")
            _ = try? await client.execute(request, timeout: .seconds(2))
        }
        state.withLock { $0.receiver?(.closed(reason: "closed by the gateway")) }
    }
}
