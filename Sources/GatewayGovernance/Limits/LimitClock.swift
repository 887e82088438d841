// The monotonic time the limiters read, injected so tests step it without sleeping.

public struct LimitClock: Sendable {
    /// Nanoseconds on a monotonic clock (only differences mean anything).
    public let nanoseconds: @Sendable () -> UInt64

    public init(nanoseconds: @escaping @Sendable () -> UInt64) {
        self.nanoseconds = nanoseconds
    }

    private static let origin = ContinuousClock.now

    /// The process's continuous clock.
    public static let system = LimitClock {
        // The origin first: it is set on first use, and must not come after `now`.
        let start = origin
        let elapsed = ContinuousClock.now - start
        guard elapsed > .zero else { return 0 }
        return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }
}
