// The events of one POST answered with an event stream, kept so that a client whose stream
// broke can resume it: GET with `Last-Event-ID: p<stream>-<n>` replays what came after event
// n and follows the stream to its final answer (the spec's resumability; the work itself is
// never cancelled by a disconnect in the handshake era).
//
// The journal is bounded by event count and by bytes (server.limits.journal_events and
// journal_bytes): the oldest events are dropped first, and the newest one (at the end, the
// final answer) is always kept. Replay is a MAY in the spec: a resume from an event that was
// dropped gets the events still kept, then the rest of the stream, without the dropped ones.

import GatewayConfig
import MCPProtocol
import Synchronization

final class PostStreamJournal: Sendable {
    let number: UInt64
    let eventLimit: Int
    let byteLimit: Int
    private let state = Mutex<State>(State())

    struct Reader {
        let stream: OutboundStream
    }

    struct State {
        /// Encoded SSE events still kept; `events[head + i]` carries event id
        /// `p<number>-<dropped + i + 1>`. Slots before `head` are spent (compacted lazily).
        var events: [[UInt8]] = []
        var head = 0
        /// Events dropped from the front so far.
        var dropped = 0
        /// Bytes of the kept events.
        var bytes = 0
        var finished = false
        var readers: [Reader] = []

        var kept: Int { events.count - head }
    }

    init(number: UInt64, eventLimit: Int = ServerLimits.defaultJournalEvents, byteLimit: Int = ServerLimits.defaultJournalBytes) {
        self.number = number
        self.eventLimit = max(1, eventLimit)
        self.byteLimit = max(1, byteLimit)
    }

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
            let event = ServerSentEvent.encodeMessage(message, id: Self.eventID(stream: number, index: state.dropped + state.kept + 1))
            state.events.append(event)
            state.bytes += event.count
            while state.kept > 1 && (state.kept > eventLimit || state.bytes > byteLimit) {
                state.bytes -= state.events[state.head].count
                state.events[state.head] = []
                state.head += 1
                state.dropped += 1
            }
            // Compacting only once half the array is spent keeps each record O(1) amortized.
            if state.head > 32 && state.head * 2 > state.events.count {
                state.events.removeFirst(state.head)
                state.head = 0
            }
            state.readers.removeAll { !$0.stream.push(event) }
            return event
        }
    }

    /// Number of events kept and their bytes (for tests and diagnostics).
    var retained: (events: Int, bytes: Int, oldest: Int) {
        state.withLock { ($0.kept, $0.bytes, $0.dropped + 1) }
    }

    func finish() {
        let readers = state.withLock { state -> [Reader] in
            state.finished = true
            defer { state.readers.removeAll() }
            return state.readers
        }
        readers.forEach { $0.stream.finish() }
    }

    /// The kept events after `index`, then the live ones until the final answer.
    func resume(after index: Int, buffer: OutboundBuffer? = nil) -> OutboundStream {
        let reader = OutboundStream(buffer: buffer)
        let finished = state.withLock { state -> Bool in
            let skip = max(0, index - state.dropped)
            var open = true
            if skip < state.kept {
                for event in state.events[(state.head + skip)...] where open { open = reader.push(event) }
            }
            if open && !state.finished { state.readers.append(Reader(stream: reader)) }
            return state.finished || !open
        }
        if finished { reader.finish() }
        return reader
    }
}
