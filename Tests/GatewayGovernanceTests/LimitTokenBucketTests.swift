// Token buckets and the rate limiter over them, with time stepped by hand (no sleeping).

import GatewayGovernance
import Synchronization
import Testing

/// A clock the test moves.
final class ManualClock: Sendable {
    let now = Atomic<UInt64>(1_000_000_000)
    func advance(milliseconds: UInt64) { now.add(milliseconds * 1_000_000, ordering: .relaxed) }
    var clock: LimitClock { LimitClock { self.now.load(ordering: .relaxed) } }
}

@Suite struct LimitTokenBucketTests {
    @Test func burstThenRefusalThenRefill() {
        var bucket = TokenBucket(ratePerSecond: 2, capacity: 3, now: 0)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == nil)
        // Empty: one token comes in 500 ms.
        #expect(bucket.take(now: 0) == 500)
        #expect(bucket.take(now: 200_000_000) == 300)
        #expect(bucket.take(now: 500_000_000) == nil)
        // A long pause refills to the capacity, not beyond.
        for _ in 0..<3 { #expect(bucket.take(now: 60_000_000_000) == nil) }
        #expect(bucket.take(now: 60_000_000_000) != nil)
    }

    @Test func perMinuteRateWaitsInWholeMilliseconds() {
        var bucket = TokenBucket(ratePerSecond: 60.0 / 60, capacity: 60, now: 0)
        for _ in 0..<60 { #expect(bucket.take(now: 0) == nil) }
        #expect(bucket.take(now: 0) == 1000)
        #expect(bucket.take(now: 999_999_000) == 1)
    }

    @Test func reconfigureKeepsWhatWasSpent() {
        var bucket = TokenBucket(ratePerSecond: 1, capacity: 10, now: 0)
        for _ in 0..<8 { _ = bucket.take(now: 0) }
        bucket.reconfigure(ratePerSecond: 1, capacity: 20, now: 0)
        #expect(bucket.tokens == 2)
        bucket.reconfigure(ratePerSecond: 1, capacity: 1, now: 0)
        #expect(bucket.tokens == 1)
    }

    @Test func limiterGrantsAllOrNothing() {
        let time = ManualClock()
        let limiter = RateLimiter(clock: time.clock)
        let wide = RateLimiter.Demand(key: LimitKey(kind: .backend, name: "wide"), ratePerSecond: 10, capacity: 10)
        let narrow = RateLimiter.Demand(key: LimitKey(kind: .backend, name: "narrow"), ratePerSecond: 1, capacity: 1)
        #expect(limiter.acquire([wide, narrow]) == nil)
        let refusal = limiter.acquire([wide, narrow])
        #expect(refusal?.index == 1)
        #expect(refusal?.retryAfterMs == 1000)
        // The refused call took nothing from the wide bucket: nine calls are left there.
        for _ in 0..<9 { #expect(limiter.acquire([wide]) == nil) }
        #expect(limiter.acquire([wide]) != nil)
        time.advance(milliseconds: 1000)
        #expect(limiter.acquire([wide, narrow]) == nil)
    }

    @Test func limiterKeepsBucketsAcrossNewSettings() {
        let time = ManualClock()
        let limiter = RateLimiter(clock: time.clock)
        for _ in 0..<5 { #expect(limiter.acquire([.init(key: LimitKey(kind: .backend, name: "k"), ratePerSecond: 1, capacity: 5)]) == nil) }
        // A reload raising the burst does not hand out a fresh bucket.
        #expect(limiter.acquire([.init(key: LimitKey(kind: .backend, name: "k"), ratePerSecond: 1, capacity: 50)])?.retryAfterMs == 1000)
    }

    @Test func limiterForgetsFullBucketsPastItsBound() {
        let time = ManualClock()
        let limiter = RateLimiter(clock: time.clock, pruneAbove: 4)
        for index in 0..<6 { #expect(limiter.acquire([.init(key: LimitKey(kind: .principal, method: "api_key", name: "p\(index)"), ratePerSecond: 100, capacity: 1)]) == nil) }
        time.advance(milliseconds: 100)
        #expect(limiter.acquire([.init(key: LimitKey(kind: .backend, name: "last"), ratePerSecond: 100, capacity: 1)]) == nil)
        #expect(limiter.count <= 4)
    }
}
