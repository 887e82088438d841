// The dashboard's login sessions, kept in memory: a browser that logged in at /ui/login holds a
// random session id in a cookie, and the gate turns it back into the Principal that logged in.
// Only a SHA-256 digest of each id is kept, so a copy of this table (a heap dump, a debugger)
// names no cookie that works. A session ends after `lifetime` (absolute, not renewed by use),
// at its JWT's own expiry if that comes first, at logout, or when a reload changes what the
// keys grant (`dropAll`). At most `capacity` sessions: a login beyond that ends the oldest.

import Crypto
import Foundation
import GatewayAuth
import Synchronization

final class DashboardSessions: Sendable {
    /// A new session: the id for the cookie (shown once, never kept) and its lifetime in seconds.
    struct Created: Sendable {
        let id: String
        let maxAge: Int
    }

    private struct Session {
        let principal: Principal
        let expiresAt: Double
        /// Login order, to end the oldest when full.
        let sequence: UInt64
    }

    private struct State {
        var sessions: [[UInt8]: Session] = [:]
        var nextSequence: UInt64 = 0
    }

    /// Eight hours: a working day, after which the browser asks for the key again.
    static let defaultLifetime: Double = 8 * 3600
    static let defaultCapacity = 1000
    /// 32 random bytes, base64url without padding.
    static let idLength = 43

    let lifetime: Double
    let capacity: Int
    /// Seconds since 1970 (wall clock: a JWT's `exp` is one); tests pass their own.
    private let now: @Sendable () -> Double
    private let state = Mutex(State())

    init(lifetime: Double = DashboardSessions.defaultLifetime, capacity: Int = DashboardSessions.defaultCapacity,
         now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// A session for `principal`; nil when its proof ends within a second (nothing to keep).
    func create(for principal: Principal) -> Created? {
        let start = now()
        let expiresAt = min(start + lifetime, principal.expiresAt ?? .infinity)
        let maxAge = Int((expiresAt - start).rounded(.down))
        guard maxAge >= 1 else { return nil }
        let id = GeneratedToken.randomBase64URL()
        let key = Self.digest(id)
        state.withLock { state in
            if state.sessions.count >= capacity {
                state.sessions = state.sessions.filter { $0.value.expiresAt > start }
            }
            while state.sessions.count >= capacity, let oldest = state.sessions.min(by: { $0.value.sequence < $1.value.sequence }) {
                state.sessions.removeValue(forKey: oldest.key)
            }
            state.sessions[key] = Session(principal: principal, expiresAt: expiresAt, sequence: state.nextSequence)
            state.nextSequence += 1
        }
        return Created(id: id, maxAge: maxAge)
    }

    /// The principal of a live session; nil for an unknown, malformed or expired id (an expired
    /// one is removed).
    func principal(for id: some StringProtocol) -> Principal? {
        guard let key = Self.key(id) else { return nil }
        let at = now()
        return state.withLock { state in
            guard let session = state.sessions[key] else { return nil }
            guard at < session.expiresAt else {
                state.sessions.removeValue(forKey: key)
                return nil
            }
            return session.principal
        }
    }

    /// Ends a session (logout).
    func remove(_ id: some StringProtocol) {
        guard let key = Self.key(id) else { return }
        _ = state.withLock { $0.sessions.removeValue(forKey: key) }
    }

    /// Ends every session: the keys or the rules that granted them changed.
    func dropAll() {
        state.withLock { $0.sessions.removeAll() }
    }

    var count: Int { state.withLock { $0.sessions.count } }

    /// The table's key for a well-formed id; nil without hashing for anything else.
    private static func key(_ id: some StringProtocol) -> [UInt8]? {
        guard id.utf8.count == idLength, id.utf8.allSatisfy(isBase64URL) else { return nil }
        return digest(id)
    }

    private static func digest(_ id: some StringProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Array(id.utf8)))
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): return true
        default: return false
        }
    }
}
