// The events of one POST answered with an event stream, kept so that a client whose stream
// broke can resume it: GET with `Last-Event-ID: p<stream>-<n>` replays what came after event
// n and follows the stream to its final answer (the spec's resumability; the work itself is
// never cancelled by a disconnect in the handshake era).

import MCPProtocol
import Synchronization

final class PostStreamJournal: Sendable {
    let number: UInt64
    private let state = Mutex<State>(State())

    struct State {
        /// Encoded SSE events; index i carries event id `p<number>-<i+1>`.
        var events: [[UInt8]] = []
        var finished = false
        var readers: [AsyncStream<[UInt8]>.Continuation] = []
    }

    /// A long stream keeps only its newest events (progress can be chatty).
    static let eventLimit = 1024

    init(number: UInt64) { self.number = number }

    static func eventID(stream: UInt64, index: Int) -> String { "p\(stream)-\(index)" }

    /// `p<stream>-<n>` → (stream, n).
    static func parse(eventID: String) -> (stream: UInt64, index: Int)? {
        guard eventID.hasPrefix("p"), let dash = eventID.firstIndex(of: "-"),
              let stream = UInt64(eventID[eventID.index(after: eventID.startIndex)..<dash]),
              let index = Int(eventID[eventID.index(after: dash)...]) else { return nil }
        return (stream, index)
    }

    /// The event that opens the stream: an id to resume from and the reconnection delay.
    func primingEvent() -> [UInt8] {
        ServerSentEvent(data: "", id: Self.eventID(stream: number, index: 0), retry: ClientSession.retryMilliseconds).encoded()
    }

    /// Records a message and returns its encoded event (with id) for the live stream.
    func record(_ message: [UInt8]) -> [UInt8] {
        state.withLock { state in
            let event = ServerSentEvent.encodeMessage(message, id: Self.eventID(stream: number, index: state.events.count + 1))
            state.events.append(event)
            for reader in state.readers { reader.yield(event) }
            return event
        }
    }

    func finish() {
        let readers = state.withLock { state -> [AsyncStream<[UInt8]>.Continuation] in
            state.finished = true
            defer { state.readers.removeAll() }
            return state.readers
        }
        readers.forEach { $0.finish() }
    }

    /// The events after `index`, then the live ones until the final answer.
    func resume(after index: Int) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let finished = state.withLock { state -> Bool in
            for event in state.events.dropFirst(max(index, 0)) { continuation.yield(event) }
            if !state.finished { state.readers.append(continuation) }
            return state.finished
        }
        if finished { continuation.finish() }
        return stream
    }
}
