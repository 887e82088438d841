// The global cap on live client sessions (`server.limits.max_sessions`), shared by every front
// end that holds one: Streamable HTTP sessions, legacy /sse sessions and WebSocket connections.
// A session takes a slot when it starts and gives it back when it ends.

import HTTPTypes
import Hummingbird
import Logging
import MCPProtocol
import Synchronization

final class SessionBudget: Sendable {
    let limit: Int
    private let live = Atomic<Int>(0)
    /// When a refusal was last logged, and how many went unlogged since.
    private let refusals = Mutex<(logged: ContinuousClock.Instant?, unlogged: Int)>((nil, 0))

    init(limit: Int) { self.limit = limit }

    /// Takes a slot; false when every slot is taken.
    func acquire() -> Bool {
        if live.add(1, ordering: .relaxed).newValue <= limit { return true }
        live.subtract(1, ordering: .relaxed)
        return false
    }

    func release() { live.subtract(1, ordering: .relaxed) }

    var count: Int { live.load(ordering: .relaxed) }

    /// Whether a slot is free now (a pre-check where the slot is taken later).
    var hasRoom: Bool { count < limit }

    var refusalMessage: String {
        "Too many sessions: the gateway holds its limit of \(limit) live sessions (server.limits.max_sessions); try again later"
    }

    /// Logs a refusal at warning, at most once a minute (a flood would otherwise flood the log
    /// too), with the number of refusals since the last such line.
    func noteRefusal(_ what: String, logger: Logger) {
        let now = ContinuousClock.now
        let unlogged = refusals.withLock { state -> Int? in
            if let last = state.logged, now - last < .seconds(60) {
                state.unlogged += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.unlogged
        }
        guard let unlogged else { return }
        logger.warning("\(what) refused: server.limits.max_sessions reached",
                       metadata: ["limit": "\(limit)", "refused_since_last_warning": "\(unlogged)"])
    }

    /// JSON-RPC's implementation-defined server error: no standard code means "busy".
    static let errorCode = -32000

    /// HTTP 503 with a JSON-RPC error naming the limit.
    func refusal(id: JSONRPCID? = nil) -> Response {
        HTTPReplies.rpcError(.serviceUnavailable, code: Self.errorCode, message: refusalMessage, id: id)
    }
}
