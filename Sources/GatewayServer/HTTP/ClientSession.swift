// One Streamable HTTP client session: what initialize negotiated, and the open GET
// streams that carry the gateway's own notifications to this client. Those messages get
// event ids and are kept briefly, so a client reconnecting with Last-Event-ID loses none.
// Each stream's unread bytes are bounded by its connection's OutboundBuffer.

import Foundation
import GatewayConfig
import GatewayCore
import MCPProtocol
import Synchronization

final class ClientSession: Sendable {
    let id: String
    let context: ClientContext
    /// Requests relayed to this client, waiting for its answers.
    let broker = ClientRequestBroker()
    /// This client's requests in progress, for `notifications/cancelled`.
    let inflight = InFlightRequests()
    private let state = Mutex<State>(State())

    struct State {
        var streams: [UInt64: OutboundStream] = [:]
        var nextStream: UInt64 = 1
        var lastActive = ContinuousClock.now
        var closed = false
        /// Recent session messages by event sequence number, for Last-Event-ID replay.
        var log: [(seq: UInt64, message: [UInt8])] = []
        var seq: UInt64 = 0
        /// Journals of recent POST event streams, by number, for resuming them.
        var postJournals: [UInt64: PostStreamJournal] = [:]
        var nextPostJournal: UInt64 = 1
    }

    /// How many recent POST streams stay resumable.
    static let resumablePostStreams = 64

    /// How many recent messages a reconnecting client can get back.
    static let replayLimit = 512
    /// Reconnection delay suggested to clients (SSE `retry`, milliseconds).
    static let retryMilliseconds = 2000

    static func eventID(_ seq: UInt64) -> String { "s\(seq)" }

    static func sequence(ofEventID id: String) -> UInt64? {
        id.hasPrefix("s") ? UInt64(id.dropFirst()) : nil
    }

    /// Bounds of each POST stream's journal (server.limits.journal_events / journal_bytes).
    let journalEvents: Int
    let journalBytes: Int
    /// For a sealed id (SessionSealing), the second since 1970 at which the session ends.
    let expires: Int?

    init(id: String, context: ClientContext, journalEvents: Int = ServerLimits.defaultJournalEvents,
         journalBytes: Int = ServerLimits.defaultJournalBytes, expires: Int? = nil) {
        self.id = id
        self.context = context
        self.journalEvents = journalEvents
        self.journalBytes = journalBytes
        self.expires = expires
    }

    static func mintID() -> String {
        UUID().uuidString.lowercased()
    }

    func touch() { state.withLock { $0.lastActive = .now } }

    var idleFor: Duration { ContinuousClock.now - state.withLock { $0.lastActive } }

    /// Opens a notification stream; the returned stream ends when the session closes. It
    /// starts with a priming event (id and retry), then any messages after `lastEventID`.
    func openStream(lastEventID: String? = nil, buffer: OutboundBuffer? = nil) -> (id: UInt64, stream: AsyncStream<[UInt8]>) {
        let stream = OutboundStream(buffer: buffer)
        let id = state.withLock { state -> UInt64? in
            guard !state.closed else { return nil }
            let id = state.nextStream
            state.nextStream += 1
            state.streams[id] = stream
            stream.push(ServerSentEvent(data: "", id: Self.eventID(state.seq), retry: Self.retryMilliseconds).encoded())
            if let last = lastEventID.flatMap(Self.sequence(ofEventID:)) {
                for entry in state.log where entry.seq > last {
                    stream.push(ServerSentEvent.encodeMessage(entry.message, id: Self.eventID(entry.seq)))
                }
            }
            return id
        }
        if id == nil { stream.finish() }
        return (id ?? 0, stream.stream)
    }

    func openPostJournal() -> PostStreamJournal {
        state.withLock { state in
            let journal = PostStreamJournal(number: state.nextPostJournal, eventLimit: journalEvents, byteLimit: journalBytes)
            state.nextPostJournal += 1
            state.postJournals[journal.number] = journal
            if state.postJournals.count > Self.resumablePostStreams, let oldest = state.postJournals.keys.min() {
                state.postJournals[oldest] = nil
            }
            return journal
        }
    }

    func postJournal(_ number: UInt64) -> PostStreamJournal? {
        state.withLock { $0.postJournals[number] }
    }

    func closeStream(_ id: UInt64) {
        state.withLock { $0.streams.removeValue(forKey: id) }?.finish()
    }

    var hasStream: Bool { state.withLock { !$0.streams.isEmpty } }

    /// Sends a JSON-RPC message on one open stream (the spec: never the same message on two),
    /// and keeps it for replay.
    @discardableResult
    func send(_ message: [UInt8]) -> Bool {
        state.withLock { state in
            state.seq += 1
            state.log.append((state.seq, message))
            if state.log.count > Self.replayLimit { state.log.removeFirst(state.log.count - Self.replayLimit) }
            guard let stream = state.streams.max(by: { $0.key < $1.key })?.value else { return false }
            return stream.push(ServerSentEvent.encodeMessage(message, id: Self.eventID(state.seq)))
        }
    }

    /// Writes raw bytes (a keep-alive comment) on one specific stream.
    func sendRaw(_ bytes: [UInt8], on streamID: UInt64) {
        state.withLock { $0.streams[streamID] }?.push(bytes)
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    func close() {
        broker.cancelAll()
        inflight.cancelAll()
        let streams = state.withLock { state -> [OutboundStream] in
            state.closed = true
            defer { state.streams.removeAll() }
            return Array(state.streams.values)
        }
        streams.forEach { $0.finish() }
    }
}
