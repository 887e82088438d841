// The dashboard's call feed: a bounded ring read newest first, the last minute's numbers, and
// live subscribers that hear every record from their start and leave when they stop reading.

import GatewayTelemetry
import Testing

struct CallFeedTests {
    private func record(_ tool: String, at: Double, ms: Int64 = 1, outcome: String = "ok") -> CallFeed.Record {
        CallFeed.Record(at: at, principal: "p", server: "s", tool: tool, nanoseconds: ms * 1_000_000, outcome: outcome)
    }

    @Test func theRingKeepsTheNewestNewestFirst() {
        let feed = CallFeed(capacity: 3)
        for index in 0..<5 { feed.record(record("t\(index)", at: Double(index))) }
        #expect(feed.recent(10).map(\.tool) == ["t4", "t3", "t2"])
        #expect(feed.recent(2).map(\.tool) == ["t4", "t3"])
        #expect(feed.recent(0).isEmpty)
    }

    @Test func theWindowCountsTheLastMinuteOnly() {
        let feed = CallFeed()
        feed.record(record("old", at: 1_000, ms: 900))
        for index in 1...20 { feed.record(record("new", at: 1_100, ms: Int64(index), outcome: index <= 5 ? "timeout" : "ok")) }
        let window = feed.window(now: 1_120)
        #expect(window.calls == 20 && window.failures == 5)
        #expect(window.p95Nanoseconds == 19_000_000)
        #expect(CallFeed().window().p95Nanoseconds == nil)
    }

    @Test func subscribersHearNewRecordsAndLeave() async {
        let feed = CallFeed()
        feed.record(record("before", at: 1))
        var iterator = feed.subscribe().makeAsyncIterator()
        feed.record(record("after", at: 2))
        #expect(await iterator.next()?.tool == "after")

        // A reader that stops (its task cancelled) is forgotten.
        let reader = Task { for await _ in feed.subscribe() {} }
        for _ in 0..<1000 where feed.subscriberCount < 2 { await Task.yield() }
        #expect(feed.subscriberCount == 2)
        reader.cancel()
        for _ in 0..<1000 where feed.subscriberCount > 1 { await Task.yield() }
        #expect(feed.subscriberCount == 1)
    }
}
