// Concurrency gates by name (a principal's, a backend's), kept across config reloads: a gate
// asked for with a new limit takes it, and calls in flight stay counted. Idle gates of
// principals no longer seen are forgotten once there are many.

import Synchronization

public final class ConcurrencyGates: Sendable {
    private let gates = Mutex<[LimitKey: ConcurrencyGate]>([:])
    private let pruneAbove: Int

    public init(pruneAbove: Int = 10_000) {
        self.pruneAbove = pruneAbove
    }

    /// The gate named `key`, made or updated to `limit`.
    public func gate(_ key: LimitKey, limit: Int) -> ConcurrencyGate {
        let (gate, changed) = gates.withLock { table -> (ConcurrencyGate, Bool) in
            if let gate = table[key] { return (gate, gate.limit != limit) }
            if table.count > pruneAbove { table = table.filter { !$0.value.isIdle } }
            let gate = ConcurrencyGate(limit: limit)
            table[key] = gate
            return (gate, false)
        }
        if changed { gate.update(limit: limit) }
        return gate
    }

    public var count: Int { gates.withLock { $0.count } }
}
