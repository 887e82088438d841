// One request and its answer on a plain HTTP/1.1 connection. The connection's handler feeds
// it from the event loop; the caller waits on it and may cancel it from any thread. A JSON
// answer is handed over whole in one resumption of the caller; an event stream as soon as
// its head is in.

import NIOCore
import NIOHTTP1
import Synchronization

final class PlainHTTPExchange: Sendable {
    enum Failure: Error, CustomStringConvertible {
        /// The connection closed before any answer: on a reused connection, the server had
        /// closed it while idle and the request can go again on a new one.
        case closedBeforeAnswer(String?)
        case closedMidAnswer
        case timedOut

        var description: String {
            switch self {
            case .closedBeforeAnswer(let reason): return "the connection closed before an answer" + (reason.map { " (\($0))" } ?? "")
            case .closedMidAnswer: return "the connection closed in the middle of the answer"
            case .timedOut: return "no answer before the deadline"
            }
        }
    }

    private struct State {
        var waiter: CheckedContinuation<BackendHTTPResponse, any Error>?
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var stream: AsyncThrowingStream<ByteBuffer, any Error>.Continuation?
        /// A failure that came before anyone waited (a caller cancelled at once, say): the
        /// first failure is the one the caller gets.
        var failure: (any Error)?
    }

    private let state = Mutex(State())

    func wait(_ waiter: CheckedContinuation<BackendHTTPResponse, any Error>) {
        let failure = state.withLock { state -> (any Error)? in
            if state.failure == nil { state.waiter = waiter }
            return state.failure
        }
        if let failure { waiter.resume(throwing: failure) }
    }

    /// `onAbandon` runs if the reader of an event stream goes away before it ends.
    func receivedHead(_ head: HTTPResponseHead, isEventStream: Bool, onAbandon: @escaping @Sendable () -> Void) {
        guard isEventStream else {
            state.withLock { $0.head = head }
            return
        }
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        continuation.onTermination = { termination in
            if case .cancelled = termination { onAbandon() }
        }
        let waiter = state.withLock { state in
            state.head = head
            state.stream = continuation
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: BackendHTTPResponse(status: Int(head.status.code), headers: head.headers, body: .stream(stream)))
    }

    /// False when the body outgrew the limit: the connection must close.
    func receivedBody(_ buffer: ByteBuffer) -> Bool {
        let tooLarge = state.withLock { state -> Bool in
            if let stream = state.stream {
                stream.yield(buffer)
                return false
            }
            guard state.body.count + buffer.readableBytes <= BackendHTTPResponse.maximumBody else { return true }
            state.body.append(contentsOf: buffer.readableBytesView)
            return false
        }
        if tooLarge { fail(BackendHTTPResponse.BodyTooLarge()) }
        return !tooLarge
    }

    func finished() {
        let (waiter, stream, response) = state.withLock { state in
            defer { state.waiter = nil; state.stream = nil }
            let response = state.head.map { head in
                BackendHTTPResponse(status: Int(head.status.code), headers: head.headers, body: .complete(state.body))
            }
            return (state.waiter, state.stream, response)
        }
        stream?.finish()
        if let waiter {
            if let response { waiter.resume(returning: response) } else { waiter.resume(throwing: Failure.closedMidAnswer) }
        }
    }

    /// The connection went away (`error` says why, if it failed): which failure that is
    /// depends on how far the answer got. Before any answer, a reused connection can be
    /// replaced; a reset says nothing else about the request.
    func connectionClosed(_ error: (any Error)? = nil) {
        let beforeAnswer = state.withLock { $0.head == nil }
        if beforeAnswer {
            fail(Failure.closedBeforeAnswer(error.map { String(describing: $0) }))
        } else {
            fail(error ?? Failure.closedMidAnswer)
        }
    }

    func fail(_ error: any Error) {
        let (waiter, stream) = state.withLock { state in
            defer { state.waiter = nil; state.stream = nil }
            if state.failure == nil && state.waiter == nil && state.head == nil { state.failure = error }
            return (state.waiter, state.stream)
        }
        stream?.finish(throwing: error)
        waiter?.resume(throwing: error)
    }
}
