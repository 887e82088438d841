// Requests the gateway sends to one client (on a backend's behalf) and the answers that
// come back on another message: ids minted here, answers matched by id.

import MCPProtocol
import Synchronization

public final class ClientRequestBroker: Sendable {
    private let state = Mutex<State>(State())
    let timeout: Duration

    struct State {
        var next = 1
        var pending: [String: CheckedContinuation<Result<RawJSON, JSONRPCErrorObject>, Never>] = [:]
    }

    /// Elicitation waits on a person, so the default deadline is generous.
    public init(timeout: Duration = .seconds(600)) {
        self.timeout = timeout
    }

    /// Sends `method` through `write` and waits for the client's answer.
    public func request(method: String, params: RawJSON?, write: @Sendable ([UInt8]) -> Void) async -> Result<RawJSON, JSONRPCErrorObject> {
        let id = state.withLock { state -> String in
            defer { state.next += 1 }
            return "gw-client-\(state.next)"
        }
        let timeout = self.timeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.finish(id, .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.requestTimeout, message: "the client did not answer \(method) in time")))
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                state.withLock { $0.pending[id] = continuation }
                write(JSONRPCEncoder.request(id: .string(id), method: method, params: params.map { $0.bytes[...] }))
            }
        } onCancel: {
            self.finish(id, .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.requestCancelled, message: "cancelled")))
        }
    }

    /// Routes a response message from the client; false if it answers nothing we asked.
    @discardableResult
    public func resolve(_ message: JSONRPCMessage) -> Bool {
        guard case .string(let id)? = message.id else { return false }
        if let result = message.resultRaw {
            return finish(id, .success(result))
        }
        let error = message.errorValue() ?? JSONRPCErrorObject(code: JSONRPCErrorCode.internalError, message: "empty answer")
        return finish(id, .failure(error))
    }

    @discardableResult
    private func finish(_ id: String, _ outcome: Result<RawJSON, JSONRPCErrorObject>) -> Bool {
        guard let continuation = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return false }
        continuation.resume(returning: outcome)
        return true
    }

    /// Fails every open request (the client went away).
    public func cancelAll() {
        let all = state.withLock { state -> [CheckedContinuation<Result<RawJSON, JSONRPCErrorObject>, Never>] in
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        all.forEach { $0.resume(returning: .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.requestCancelled, message: "client disconnected"))) }
    }
}
