// The client's requests being worked on, by id, so `notifications/cancelled` can stop one
// (and the backend call under it gets its own cancellation).

import MCPProtocol
import Synchronization

public final class InFlightRequests: Sendable {
    private let state = Mutex<State>(State())

    struct State {
        var tasks: [JSONRPCID: @Sendable () -> Void] = [:]
        /// Requests that finished before they were registered (a fast call can win that race).
        var finishedEarly: Set<JSONRPCID> = []
    }

    public init() {}

    public func register(_ id: JSONRPCID, cancel: @escaping @Sendable () -> Void) {
        state.withLock { state in
            if state.finishedEarly.remove(id) == nil { state.tasks[id] = cancel }
        }
    }

    public func finished(_ id: JSONRPCID) {
        state.withLock { state in
            if state.tasks.removeValue(forKey: id) == nil { state.finishedEarly.insert(id) }
        }
    }

    /// Handles `notifications/cancelled` params: `{requestId, reason?}`.
    public func cancel(params: JSONValue?) {
        // An id no request can have (`1e300`, `true`) cancels nothing.
        guard let raw = params?["requestId"], let id = JSONRPCID(json: raw) else { return }
        state.withLock { $0.tasks.removeValue(forKey: id) }?()
    }

    public func cancelAll() {
        let all = state.withLock { state -> [@Sendable () -> Void] in
            defer { state.tasks.removeAll() }
            return Array(state.tasks.values)
        }
        all.forEach { $0() }
    }
}
