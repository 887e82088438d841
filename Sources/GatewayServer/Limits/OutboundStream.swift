// An event stream to one client whose unread bytes are bounded: every push is admitted by the
// connection's OutboundBuffer (past the bound the stream ends and the connection is closed),
// and the response body counts bytes out as it takes them.

import NIOCore

struct OutboundStream: Sendable {
    let stream: AsyncStream<[UInt8]>
    let continuation: AsyncStream<[UInt8]>.Continuation
    /// nil: unbounded (a stream nobody outside the process can slow down, e.g. in tests).
    let buffer: OutboundBuffer?

    init(buffer: OutboundBuffer?) {
        (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        self.buffer = buffer
    }

    /// Queues bytes; false once the stream has ended (finished, or its reader fell too far behind).
    @discardableResult
    func push(_ bytes: [UInt8]) -> Bool {
        if let buffer, !buffer.admit(bytes.count) {
            continuation.finish()
            return false
        }
        if case .terminated = continuation.yield(bytes) { return false }
        return true
    }

    func finish() { continuation.finish() }
}

extension AsyncStream<[UInt8]> {
    /// The stream as a response body reads it: each chunk counted out of `buffer` when taken.
    func draining(_ buffer: OutboundBuffer?) -> AsyncMapSequence<AsyncStream<[UInt8]>, ByteBuffer> {
        map { chunk in
            buffer?.drained(chunk.count)
            return ByteBuffer(bytes: chunk)
        }
    }
}
