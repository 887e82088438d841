// Tool profiles: percentiles from the latency buckets, rows that add up in a real SQLite file
// across flushes and reopenings, the window and the retention, the per-day bound on tools,
// and a store that fails keeping its batch for the next flush.

import Foundation
@testable import GatewayProfiles
import Logging
import Synchronization
import Testing

@Suite struct LatencyBucketsTests {
    @Test func percentilesFallWithinHalfABucket() throws {
        var buckets = LatencyBuckets()
        for ms in 1...100 { buckets.record(microseconds: Int64(ms) * 1_000) }
        let p50 = try #require(buckets.percentile(0.5))
        let p99 = try #require(buckets.percentile(0.99))
        #expect(p50 > 50 / 1.25 && p50 < 50 * 1.25)
        #expect(p99 > 99 / 1.25 && p99 < 99 * 1.25)
        #expect(LatencyBuckets().percentile(0.5) == nil)
    }

    @Test func theExtremesHaveBuckets() {
        var buckets = LatencyBuckets()
        buckets.record(microseconds: 0)
        buckets.record(microseconds: 10 * 60 * 1_000_000)
        #expect(buckets.counts.first == 1 && buckets.counts.last == 1)
    }

    @Test func theTextFormRoundTripsAndSkipsDamage() {
        var buckets = LatencyBuckets()
        for us in [120, 130, 5_000, 5_100, 900_000] { buckets.record(microseconds: Int64(us)) }
        #expect(LatencyBuckets(encoded: buckets.encoded) == buckets)
        let damaged = LatencyBuckets(encoded: "3:2,x:1,99:5,4:-1,5:1")
        #expect(damaged.total == 3)
    }
}

@Suite struct ToolProfilesTests {
    final class Clock: Sendable {
        let seconds = Atomic<Int64>(1_765_000_000)
        func advance(days: Int64) { seconds.add(days * 86_400, ordering: .relaxed) }
        var read: @Sendable () -> Int64 { { self.seconds.load(ordering: .relaxed) } }
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString).sqlite").path
    }

    static let logger = Logger(label: "test")

    @Test func callsAddUpAcrossFlushesAndReopenings() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = Clock()
        let profiles = ToolProfiles(store: try SQLiteProfileStore(path: path), logger: Self.logger, now: clock.read)
        for ms in [10, 20, 30] {
            profiles.record(server: "alpha", tool: "echo", outcome: .ok, nanoseconds: Int64(ms) * 1_000_000, bytesIn: 10, bytesOut: 100)
        }
        profiles.record(server: "alpha", tool: "echo", outcome: .timeout, nanoseconds: Int64(5) * 1_000_000_000, bytesIn: 10, bytesOut: 0)
        // Before the flush: counted from memory.
        #expect(await profiles.totals(days: 1)?[.init(server: "alpha", tool: "echo")]?.calls == 4)
        await profiles.flush()
        profiles.record(server: "alpha", tool: "echo", outcome: .toolError, nanoseconds: Int64(15) * 1_000_000, bytesIn: 10, bytesOut: 50)
        profiles.record(server: "beta", tool: "add", outcome: .ok, nanoseconds: Int64(1) * 1_000_000, bytesIn: 5, bytesOut: 5)
        await profiles.stop()

        let reopened = ToolProfiles(store: try SQLiteProfileStore(path: path, readOnly: true), logger: Self.logger, now: clock.read)
        let totals = try #require(await reopened.totals(days: 90))
        let echo = try #require(totals[.init(server: "alpha", tool: "echo")])
        #expect(echo.calls == 5 && echo.ok == 3 && echo.timeouts == 1 && echo.toolErrors == 1 && echo.failures == 2)
        #expect(echo.bytesIn == 50 && echo.bytesOut == 350)
        #expect(echo.latency.total == 5)
        #expect(echo.lastUsed == clock.read())
        #expect(await reopened.totals(server: "beta", days: 90)?.keys.map(\.tool) == ["add"])
    }

    @Test func theWindowAndTheRetentionCountDays() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = Clock()
        let store = try SQLiteProfileStore(path: path)
        let profiles = ToolProfiles(store: store, retentionDays: 3, logger: Self.logger, now: clock.read)
        let echo = ToolProfiles.ToolKey(server: "alpha", tool: "echo")
        for _ in 0..<4 {
            profiles.record(server: "alpha", tool: "echo", outcome: .ok, nanoseconds: Int64(1) * 1_000_000, bytesIn: 1, bytesOut: 1)
            await profiles.flush()
            clock.advance(days: 1)
        }
        // Four days of one call each; the first flush of the last day pruned the first day.
        #expect(await profiles.totals(days: 2)?[echo]?.calls == 1)
        #expect(await profiles.totals(days: 10)?[echo]?.calls == 3)
        #expect(try await store.rows(since: 0, server: nil).count == 3)
    }

    @Test func aDayRecordsABoundedNumberOfTools() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let profiles = ToolProfiles(store: try SQLiteProfileStore(path: path), toolsPerDay: 3, logger: Self.logger)
        for index in 0..<10 {
            profiles.record(server: "alpha", tool: "tool-\(index)", outcome: .error, nanoseconds: Int64(1) * 1_000_000, bytesIn: 1, bytesOut: 1)
        }
        profiles.record(server: "alpha", tool: "tool-0", outcome: .ok, nanoseconds: Int64(1) * 1_000_000, bytesIn: 1, bytesOut: 1)
        await profiles.flush()
        #expect(await profiles.totals(days: 1)?.count == 3)
        #expect(profiles.dropped == 7)
        #expect(await profiles.totals(days: 1)?[.init(server: "alpha", tool: "tool-0")]?.calls == 2)
    }

    /// A store that refuses writes until told otherwise.
    final class FlakyStore: ToolProfileStore {
        let failing = Atomic<Bool>(true)
        let rows = Mutex<[ToolDayKey: ToolDayCounts]>([:])
        struct Refused: Error {}
        func add(_ batch: [ToolDayKey: ToolDayCounts]) async throws {
            if failing.load(ordering: .relaxed) { throw Refused() }
            rows.withLock { rows in for (key, counts) in batch { rows[key, default: ToolDayCounts()].add(counts) } }
        }
        func rows(since day: Int, server: String?) async throws -> [ToolDayKey: ToolDayCounts] { rows.withLock { $0 } }
        func prune(before day: Int) async throws -> Int { 0 }
    }

    @Test func aFailedWriteKeepsTheBatchForTheNextFlush() async throws {
        let store = FlakyStore()
        let profiles = ToolProfiles(store: store, logger: Self.logger)
        profiles.record(server: "a", tool: "t", outcome: .ok, nanoseconds: Int64(1) * 1_000_000, bytesIn: 1, bytesOut: 1)
        await profiles.flush()
        profiles.record(server: "a", tool: "t", outcome: .ok, nanoseconds: Int64(1) * 1_000_000, bytesIn: 1, bytesOut: 1)
        store.failing.store(false, ordering: .relaxed)
        await profiles.flush()
        #expect(store.rows.withLock { $0.values.first?.calls } == 2)
    }
}
