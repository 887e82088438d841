// A token bucket: `capacity` tokens at most, refilled at `ratePerSecond`; a call takes one.
// A refused call is told how long until a token is there. Time comes in as an argument, so
// the arithmetic is tested without sleeping.

public struct TokenBucket: Sendable, Equatable {
    public private(set) var capacity: Double
    public private(set) var ratePerSecond: Double
    public private(set) var tokens: Double
    private var stamp: UInt64

    /// A full bucket.
    public init(ratePerSecond: Double, capacity: Int, now: UInt64) {
        self.ratePerSecond = ratePerSecond
        self.capacity = Double(capacity)
        tokens = Double(capacity)
        stamp = now
    }

    /// New settings (a config reload) keep what was spent: the level is capped at the new capacity.
    public mutating func reconfigure(ratePerSecond: Double, capacity: Int, now: UInt64) {
        refill(now: now)
        self.ratePerSecond = ratePerSecond
        self.capacity = Double(capacity)
        tokens = min(tokens, self.capacity)
    }

    public mutating func refill(now: UInt64) {
        guard now > stamp else { return }
        let seconds = Double(now - stamp) / 1e9
        tokens = min(capacity, tokens + seconds * ratePerSecond)
        stamp = now
    }

    /// After `refill`: 0 when a token is there, else the milliseconds until one is (at least 1).
    public func millisecondsUntilToken() -> Int {
        if tokens >= 1 { return 0 }
        let seconds = (1 - tokens) / ratePerSecond
        return max(1, Int((seconds * 1000).rounded(.up)))
    }

    /// After `refill`: takes a token (the caller checked there is one).
    public mutating func take() {
        tokens -= 1
    }

    /// Refills and takes a token: nil when granted, else the wait in milliseconds.
    public mutating func take(now: UInt64) -> Int? {
        refill(now: now)
        let wait = millisecondsUntilToken()
        guard wait == 0 else { return wait }
        take()
        return nil
    }

    /// True when the bucket is full again at `now`: it is then the same as a fresh one, and
    /// a table may forget it.
    public func isFull(at now: UInt64) -> Bool {
        var copy = self
        copy.refill(now: now)
        return copy.tokens >= copy.capacity
    }
}
