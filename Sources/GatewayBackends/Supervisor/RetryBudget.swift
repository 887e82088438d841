// A backend's retry budget: every call earns a share of a retry (`failsafe.retry.budget`,
// 0.1 by default), every retry spends a whole one, so retries stay at most that share of the
// backend's calls however badly it fails: a failing backend is not sent more than it was asked
// for. The balance starts with one retry (a backend's very first call may be retried) and is
// capped at ten (a long quiet spell does not buy a retry storm).
//
// One atomic add per call; kept in milli-retries so the share is an integer.

import Synchronization

public final class RetryBudget: Sendable {
    static let unit = 1000
    static let cap = 10 * unit
    private let balance = Atomic<Int>(RetryBudget.unit)

    public init() {}

    /// A call was made: earn `share` of a retry.
    public func earn(_ share: Double) {
        let earned = Int(share * Double(Self.unit))
        guard earned > 0, balance.load(ordering: .relaxed) < Self.cap else { return }
        balance.wrappingAdd(earned, ordering: .relaxed)
    }

    /// Takes one retry from the balance; false when there is not a whole one.
    public func spend() -> Bool {
        var current = balance.load(ordering: .relaxed)
        while current >= Self.unit {
            let (exchanged, original) = balance.compareExchange(expected: current, desired: current - Self.unit, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Whole retries available now (for tests and /health).
    public var available: Int { balance.load(ordering: .relaxed) / Self.unit }
}
