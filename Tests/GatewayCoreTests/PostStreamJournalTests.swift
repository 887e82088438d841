// The POST stream journal keeps only its newest events, by count and by bytes, and a resume
// from a dropped event gets what is still kept, ending with the final answer.

import GatewayAuth
import GatewayCore
import Testing
import Synchronization
@testable import GatewayServer

@Suite struct PostStreamJournalTests {
    private func message(_ n: Int, size: Int = 10) -> [UInt8] {
        Array("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":\(n),\"m\":\"\(String(repeating: "x", count: size))\"}}".utf8)
    }

    private func ids(_ stream: AsyncStream<[UInt8]>) async -> [String] {
        var out: [String] = []
        for await event in stream {
            let text = String(decoding: event, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("id: ") }) { out.append(String(line.dropFirst(4))) }
        }
        return out
    }

    @Test func keepsTheNewestEventsByCount() async {
        let journal = PostStreamJournal(number: 3, eventLimit: 10, byteLimit: 1 << 20)
        for n in 1...1000 { _ = journal.record(message(n)) }
        #expect(journal.retained.events == 10)
        #expect(journal.retained.oldest == 991)
        journal.finish()
        #expect(await ids(journal.resume(after: 0).stream) == (991...1000).map { "p3-\($0)" })
        #expect(await ids(journal.resume(after: 995).stream) == (996...1000).map { "p3-\($0)" })
        #expect(await ids(journal.resume(after: 1000).stream).isEmpty)
    }

    /// Issue 17 asked whether `eventLimit` is honoured: it bounds `record` above, and a
    /// session's configured server.limits.journal_events reaches every journal it opens.
    @Test func aSessionsJournalsUseItsConfiguredEventLimit() {
        let session = ClientSession(id: "s", context: ClientContext(principal: .unauthenticated), journalEvents: 4, journalBytes: 1 << 20)
        let journal = session.openPostJournal()
        #expect(journal.eventLimit == 4)
        for n in 1...10 { _ = journal.record(message(n)) }
        #expect(journal.retained.events == 4)
        #expect(journal.retained.oldest == 7)
    }

    @Test func keepsTheNewestEventsByBytes() async {
        let journal = PostStreamJournal(number: 1, eventLimit: 1000, byteLimit: 10_000)
        for n in 1...200 { _ = journal.record(message(n, size: 1000)) }
        let (events, bytes, _) = journal.retained
        #expect(bytes <= 10_000)
        #expect(events >= 8 && events <= 10)
        // The newest event is kept even when it alone is over the byte bound.
        _ = journal.record(message(201, size: 50_000))
        #expect(journal.retained.events == 1)
        journal.finish()
        #expect(await ids(journal.resume(after: 0).stream) == ["p1-201"])
    }

    @Test func liveReadersFollowAcrossDrops() async {
        let journal = PostStreamJournal(number: 2, eventLimit: 3, byteLimit: 1 << 20)
        for n in 1...5 { _ = journal.record(message(n)) }
        let reader = journal.resume(after: 1)
        for n in 6...7 { _ = journal.record(message(n)) }
        journal.finish()
        #expect(await ids(reader.stream) == ["p2-3", "p2-4", "p2-5", "p2-6", "p2-7"])
    }

    @Test func aReaderPastItsOutboundBoundIsDropped() async {
        let overflows = OverflowCount()
        let buffer = OutboundBuffer(limit: 500) { overflows.add() }
        let journal = PostStreamJournal(number: 1, eventLimit: 100, byteLimit: 1 << 20)
        let reader = journal.resume(after: 0, buffer: buffer)
        for n in 1...20 { _ = journal.record(message(n, size: 100)) }
        #expect(overflows.value == 1)
        #expect(buffer.isOverflowed)
        let got = await ids(reader.stream)
        #expect(got.count >= 1 && got.count < 20)
        journal.finish()
    }
}

/// A thread-safe count for callbacks.
final class OverflowCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
