// Verdicts of tokens already verified, so the lean path answers a repeated token with one keyed
// hash, one dictionary lookup and one clock read. Keyed by the token's fingerprint (the token
// itself is never kept), each entry valid until the token's own expiry, the whole bounded: when
// full, expired entries go first, then the oldest tenth. Only verdicts on tokens whose signature
// verified are kept (valid, or lacking a scope): an attacker cannot fill it with junk tokens and
// push out the real ones.

import Foundation
import Synchronization

final class VerifiedTokenCache: Sendable {
    private struct Entry {
        let verdict: TokenVerdict
        let validUntil: Double
        let sequence: UInt64
    }

    private struct State {
        var entries: [TokenFingerprint: Entry] = [:]
        var nextSequence: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    static func key(for token: String) -> TokenFingerprint {
        TokenFingerprint(of: token)
    }

    /// The verdict cached for `key`, if it still holds at `now` (seconds since 1970).
    func verdict(for key: TokenFingerprint, now: Double) -> TokenVerdict? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard now < entry.validUntil else {
                state.entries[key] = nil
                return nil
            }
            return entry.verdict
        }
    }

    func store(_ verdict: TokenVerdict, for key: TokenFingerprint, validUntil: Double, now: Double) {
        state.withLock { state in
            if state.entries[key] == nil && state.entries.count >= capacity { Self.makeRoom(in: &state, capacity: capacity, now: now) }
            state.entries[key] = Entry(verdict: verdict, validUntil: validUntil, sequence: state.nextSequence)
            state.nextSequence &+= 1
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// Drops expired entries, then the oldest until a tenth of the room is free: one scan (and
    /// at most one sort) per `capacity / 10` insertions rather than per insertion.
    private static func makeRoom(in state: inout State, capacity: Int, now: Double) {
        state.entries = state.entries.filter { now < $0.value.validUntil }
        let target = capacity - max(1, capacity / 10)
        guard state.entries.count > target else { return }
        let oldest = state.entries.sorted { $0.value.sequence < $1.value.sequence }.prefix(state.entries.count - target)
        for (key, _) in oldest { state.entries[key] = nil }
    }
}
