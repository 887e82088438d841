// Decides how a POST is answered: plain JSON when the result comes first, an event stream
// when a notification (progress, say) comes before it. Notifications that arrive later
// follow the result's lead onto the same stream. In a session, a stream's events get ids and
// are journaled, so the client can resume a broken stream. What the client leaves unread is
// bounded by the connection's OutboundBuffer, when one is given.

import MCPProtocol
import Synchronization

final class ReplyChannel: Sendable {
    enum Decision: Sendable {
        case json([UInt8]?)
        case stream(AsyncStream<[UInt8]>)
    }

    private let state = Mutex<State>(State())
    private let output: OutboundStream
    /// The bound on unread bytes, for the response body that drains the stream.
    var buffer: OutboundBuffer? { output.buffer }

    struct State {
        var decided = false
        var waiter: CheckedContinuation<Decision, Never>?
        var early: Decision?
        var journal: PostStreamJournal?
        var keepAlive: Task<Void, Never>?
        var finished = false
    }

    /// An idle answer stream gets a comment this often, so proxies do not close it.
    private let keepAliveInterval: Duration

    /// The session whose POST this answers: its streams are resumable.
    private let session: ClientSession?

    init(onAbandon: (@Sendable () -> Void)? = nil, session: ClientSession? = nil, keepAliveInterval: Duration = .seconds(15),
         buffer: OutboundBuffer? = nil) {
        output = OutboundStream(buffer: buffer)
        self.session = session
        self.keepAliveInterval = keepAliveInterval
        if let onAbandon { setOnAbandon(onAbandon) }
    }

    /// Encodes one message as an event; in a session, journaled with an id (the first one
    /// opens the journal and is preceded by the priming event).
    private func event(_ message: [UInt8]) -> [UInt8] {
        guard let session else { return ServerSentEvent.encodeMessage(message) }
        let (journal, opened) = state.withLock { state -> (PostStreamJournal, Bool) in
            if let journal = state.journal { return (journal, false) }
            let journal = session.openPostJournal()
            state.journal = journal
            return (journal, true)
        }
        if opened { output.push(journal.primingEvent()) }
        return journal.record(message)
    }

    /// Called if the event stream's reader goes away before the answer (the client left).
    func setOnAbandon(_ action: @escaping @Sendable () -> Void) {
        output.continuation.onTermination = { termination in
            if case .cancelled = termination { action() }
        }
    }

    /// A notification for the client: switches the reply to an event stream.
    func notification(_ message: [UInt8]) {
        output.push(event(message))
        if decide(.stream(output.stream)) { startKeepAlive() }
    }

    private func startKeepAlive() {
        let (output, interval) = (self.output, keepAliveInterval)
        let task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                if !output.push(ServerSentEvent.keepAlive) { return }
            }
        }
        let finished = state.withLock { state -> Bool in
            if !state.finished { state.keepAlive = task }
            return state.finished
        }
        if finished { task.cancel() }
    }

    /// The final answer (nil: nothing to send, e.g. only notifications were posted).
    func finish(_ message: [UInt8]?) {
        let wasDecided = state.withLock { state in
            state.finished = true
            return state.decided
        }
        if wasDecided {
            if let message { output.push(event(message)) }
            output.finish()
            let (journal, keepAlive) = state.withLock { ($0.journal, $0.keepAlive) }
            keepAlive?.cancel()
            journal?.finish()
        } else {
            output.finish()
            decide(.json(message))
        }
    }

    /// Returns whether this call made the decision.
    @discardableResult
    private func decide(_ decision: Decision) -> Bool {
        let (decidedNow, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Decision, Never>?) in
            guard !state.decided else { return (false, nil) }
            state.decided = true
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.early = decision
            return (true, nil)
        }
        waiter?.resume(returning: decision)
        return decidedNow
    }

    func decision() async -> Decision {
        await withCheckedContinuation { continuation in
            let early = state.withLock { state -> Decision? in
                if let early = state.early { return early }
                state.waiter = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }
    }
}
