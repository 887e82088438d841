// The bytes queued for one client connection that the client has not taken yet
// (`server.limits.outbound_buffer`). Front ends queue messages synchronously (notifications
// fire from anywhere) and one writer drains the queue at the pace the socket allows; a client
// that stops reading would otherwise grow the queue without end. When a new message would take
// the backlog past the limit, the connection is closed instead: `onOverflow` runs once.
// A single message larger than the limit still goes out when nothing else is queued.

import Logging
import NIOCore
import Synchronization

final class OutboundBuffer: Sendable {
    let limit: Int
    private let queued = Atomic<Int>(0)
    private let overflowed = Atomic<Bool>(false)
    private let onOverflow: @Sendable () -> Void

    init(limit: Int, onOverflow: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.onOverflow = onOverflow
    }

    /// Counts `count` bytes in; false (and the overflow action, once) when they do not fit.
    func admit(_ count: Int) -> Bool {
        if overflowed.load(ordering: .relaxed) { return false }
        let before = queued.add(count, ordering: .relaxed).oldValue
        guard before > 0, before + count > limit else { return true }
        queued.subtract(count, ordering: .relaxed)
        if !overflowed.exchange(true, ordering: .relaxed) { onOverflow() }
        return false
    }

    /// Counts `count` bytes out once they are handed to the socket.
    func drained(_ count: Int) { queued.subtract(count, ordering: .relaxed) }

    var isOverflowed: Bool { overflowed.load(ordering: .relaxed) }

    /// The usual overflow action: a warning naming the connection (never the payload) and
    /// closing the socket, which ends the writer blocked on it and every stream on it.
    static func closing(_ channel: (any Channel)?, limit: Int, logger: Logger, what: String, session: String?) -> @Sendable () -> Void {
        {
            var metadata: Logger.Metadata = ["limit": "\(limit)", "connection": "\(what)"]
            if let session { metadata["session"] = "\(SessionTag.of(session))" }
            if let remote = channel?.remoteAddress { metadata["peer"] = "\(remote)" }
            logger.warning("slow reader disconnected: more than server.limits.outbound_buffer bytes queued unread", metadata: metadata)
            channel?.close(promise: nil)
        }
    }
}
