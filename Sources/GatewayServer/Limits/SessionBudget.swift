// The global cap on live client sessions (`server.limits.max_sessions`), shared by every front
// end that holds one: Streamable HTTP sessions, legacy /sse sessions and WebSocket connections.
// A session takes a slot when it starts and gives it back when it ends.

import HTTPTypes
import Hummingbird
import MCPProtocol
import Synchronization

final class SessionBudget: Sendable {
    let limit: Int
    private let live = Atomic<Int>(0)

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

    /// JSON-RPC's implementation-defined server error: no standard code means "busy".
    static let errorCode = -32000

    /// HTTP 503 with a JSON-RPC error naming the limit.
    func refusal(id: JSONRPCID? = nil) -> Response {
        HTTPReplies.rpcError(.serviceUnavailable, code: Self.errorCode, message: refusalMessage, id: id)
    }
}
