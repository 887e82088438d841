// JSON-RPC over one transport: request ids, correlation, timeouts, cancellation, progress
// routing and the backend's notifications. One per live connection to a backend.

import Logging
import MCPProtocol
import Synchronization

public typealias ProgressHandler = @Sendable (_ params: JSONValue) -> Void

public struct ConnectionHandlers: Sendable {
    public var onToolsListChanged: @Sendable () -> Void = {}
    public var onNotification: @Sendable (_ method: String, _ params: RawJSON?) -> Void = { _, _ in }
    public var onClosed: @Sendable (_ reason: String) -> Void = { _ in }
    public init() {}
}

public final class RPCConnection: Sendable {
    let transport: any MessageTransport
    let logger: Logger
    let handlers: ConnectionHandlers
    private let state = Mutex<State>(State())

    struct Pending {
        var continuation: CheckedContinuation<JSONRPCMessage, any Error>
        var progressToken: String?
    }

    struct State {
        var nextID = 1
        var pending: [Int: Pending] = [:]
        var progress: [String: ProgressHandler] = [:]
        var closedReason: String?
    }

    public init(transport: any MessageTransport, logger: Logger, handlers: ConnectionHandlers) {
        self.transport = transport
        self.logger = logger
        self.handlers = handlers
    }

    public var isClosed: Bool { state.withLock { $0.closedReason != nil } }

    public func start() async throws(BackendError) {
        try await transport.start { [weak self] event in
            guard let self else { return }
            switch event {
            case .message(let bytes): self.receive(bytes)
            case .closed(let reason): self.transportClosed(reason)
            }
        }
    }

    /// Sends a request and waits for its response (a result or an error response).
    public func request(method: String, params: ArraySlice<UInt8>?, timeout: Duration,
                        onProgress: ProgressHandler? = nil) async throws(BackendError) -> JSONRPCMessage {
        let (id, token): (Int, String?) = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            return (id, onProgress == nil ? nil : "gw-\(id)")
        }
        let payload: ArraySlice<UInt8>?
        if let token { payload = ProgressTokenSplicer.splice(token: token, into: params)[...] } else { payload = params }
        let bytes = JSONRPCEncoder.request(id: .int(id), method: method, params: payload)
        let timeoutTask = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.fail(id: id, with: .timeout(seconds: Self.seconds(timeout)), notifyBackend: true)
        }
        defer { timeoutTask.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONRPCMessage, any Error>) in
                    let closed: String? = state.withLock { state in
                        if let reason = state.closedReason { return reason }
                        state.pending[id] = Pending(continuation: continuation, progressToken: token)
                        if let token, let onProgress { state.progress[token] = onProgress }
                        return nil
                    }
                    if let closed {
                        continuation.resume(throwing: BackendError.closed(closed))
                        return
                    }
                    Task {
                        do throws(BackendError) {
                            try await self.transport.send(bytes)
                        } catch {
                            self.fail(id: id, with: error, notifyBackend: false)
                        }
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

    public func notify(method: String, params: ArraySlice<UInt8>?) async throws(BackendError) {
        try await transport.send(JSONRPCEncoder.notification(method: method, params: params))
    }

    public func close() async {
        await transport.close()
        transportClosed("closed by the gateway")
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private func fail(id: Int, with error: BackendError, notifyBackend: Bool) {
        let pending = state.withLock { state -> Pending? in
            guard let pending = state.pending.removeValue(forKey: id) else { return nil }
            if let token = pending.progressToken { state.progress[token] = nil }
            return pending
        }
        guard let pending else { return }
        pending.continuation.resume(throwing: error)
        if notifyBackend {
            let params = JSONWriter.encode(["requestId": .int(id), "reason": .string(error.description)])
            Task { try? await self.notify(method: "notifications/cancelled", params: params[...]) }
        }
    }

    private func transportClosed(_ reason: String) {
        let pending = state.withLock { state -> [Pending] in
            if state.closedReason == nil { state.closedReason = reason }
            defer {
                state.pending.removeAll()
                state.progress.removeAll()
            }
            return Array(state.pending.values)
        }
        for entry in pending { entry.continuation.resume(throwing: BackendError.closed(reason)) }
        handlers.onClosed(reason)
    }

    private func receive(_ bytes: [UInt8]) {
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
            let pending = state.withLock { state -> Pending? in
                guard let pending = state.pending.removeValue(forKey: id) else { return nil }
                if let token = pending.progressToken { state.progress[token] = nil }
                return pending
            }
            pending?.continuation.resume(returning: message)
        case .notification:
            handleNotification(message)
        case .request:
            handleServerRequest(message)
        }
    }

    private func handleNotification(_ message: JSONRPCMessage) {
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
        case "notifications/message":
            if let params = try? message.paramsValue() {
                let level = params["level"]?.stringValue ?? "info"
                let data = params["data"].map { $0.stringValue ?? JSONWriter.encodeString($0) } ?? ""
                logger.info("backend log [\(level)]: \(data)")
            }
            handlers.onNotification("notifications/message", message.paramsRaw)
        case let method?:
            handlers.onNotification(method, message.paramsRaw)
        case nil:
            break
        }
    }

    /// Server-to-client requests. `ping` is answered here; the others need a client to
    /// route to, which this connection does not have, so they get a clear error.
    private func handleServerRequest(_ message: JSONRPCMessage) {
        let reply: [UInt8]
        if message.method == "ping" {
            reply = JSONRPCEncoder.result(id: message.id, result: Array("{}".utf8)[...])
        } else {
            reply = JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.methodNotFound,
                                         message: "the gateway does not forward \(message.method ?? "this request") to clients yet")
        }
        Task { try? await self.transport.send(reply) }
    }
}
