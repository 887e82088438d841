// Token buckets by name (a principal's, a principal's per tool glob, a backend's). One call
// asks several buckets at once and is granted only if all have a token, so a refused call
// spends nothing. Buckets live as long as the limiter, across config reloads: new settings
// reconfigure a bucket of the same name instead of refilling it.

import Synchronization

public final class RateLimiter: Sendable {
    /// One bucket a call needs a token from.
    public struct Demand: Sendable {
        public var key: LimitKey
        public var ratePerSecond: Double
        public var capacity: Int

        public init(key: LimitKey, ratePerSecond: Double, capacity: Int) {
            self.key = key
            self.ratePerSecond = ratePerSecond
            self.capacity = capacity
        }
    }

    private let buckets = Mutex<[LimitKey: TokenBucket]>([:])
    private let clock: LimitClock
    /// Past this many buckets, full ones (the same as fresh ones) are forgotten.
    private let pruneAbove: Int

    public init(clock: LimitClock = .system, pruneAbove: Int = 10_000) {
        self.clock = clock
        self.pruneAbove = pruneAbove
    }

    /// nil when every demand got its token; else the demand that must wait longest and that
    /// wait, after which every bucket would grant (no bucket spent anything).
    public func acquire(_ demands: [Demand]) -> (index: Int, retryAfterMs: Int)? {
        let now = clock.nanoseconds()
        return buckets.withLock { table in
            var refusal: (index: Int, retryAfterMs: Int)?
            for (index, demand) in demands.enumerated() {
                var bucket = table[demand.key] ?? TokenBucket(ratePerSecond: demand.ratePerSecond, capacity: demand.capacity, now: now)
                if bucket.ratePerSecond != demand.ratePerSecond || bucket.capacity != Double(demand.capacity) {
                    bucket.reconfigure(ratePerSecond: demand.ratePerSecond, capacity: demand.capacity, now: now)
                } else {
                    bucket.refill(now: now)
                }
                let wait = bucket.millisecondsUntilToken()
                table[demand.key] = bucket
                if wait > (refusal?.retryAfterMs ?? 0) { refusal = (index, wait) }
            }
            guard refusal == nil else { return refusal }
            for demand in demands { table[demand.key]?.take() }
            if table.count > pruneAbove { table = table.filter { !$0.value.isFull(at: now) } }
            return nil
        }
    }

    /// How many buckets are held (for tests and /health).
    public var count: Int { buckets.withLock { $0.count } }
}
