// Sealed session ids ended by DELETE on this instance: a sealed id stays valid until it expires,
// so an ended one must be remembered until then or its next request would re-create it. Kept as
// 16 bytes of the id's SHA-256 (not the id, a credential) and bounded: past `capacity`, the
// entries that expire first are forgotten, so a client that opens and deletes sessions in a
// loop cannot grow this without end. A forgotten id can come back only for its own owner.

import Crypto
import Foundation
import Synchronization

final class EndedSessionIDs: Sendable {
    private struct Key: Hashable {
        let high: UInt64
        let low: UInt64

        init(digest: [UInt8]) {
            high = digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
            low = digest.dropFirst(8).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    private let entries = Mutex<[Key: Int]>([:])
    let capacity: Int

    static let defaultCapacity = 100_000

    init(capacity: Int = defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// The 16 bytes an id is known by here and in the cluster database.
    static func digest(of id: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(id.utf8)).prefix(16))
    }

    /// Remembers `id` as ended until `expires`; false if it already was.
    @discardableResult
    func insert(_ id: String, expires: Int) -> Bool {
        insert(digest: Self.digest(of: id), expires: expires)
    }

    /// The same, for an id known only by its digest (another instance ended it).
    @discardableResult
    func insert(digest: [UInt8], expires: Int) -> Bool {
        let key = Key(digest: digest)
        return entries.withLock { table in
            guard table[key] == nil else { return false }
            if table.count >= capacity {
                // Rare (the cap is far above normal use): one sort to drop the soonest tenth.
                let soonest = table.sorted { $0.value < $1.value }.prefix(max(1, capacity / 10))
                for entry in soonest { table[entry.key] = nil }
            }
            table[key] = expires
            return true
        }
    }

    func contains(_ id: String) -> Bool {
        let key = Key(digest: Self.digest(of: id))
        return entries.withLock { $0[key] != nil }
    }

    /// Forgets the ids that have expired by `now` (seconds since 1970).
    func prune(now: Int) {
        entries.withLock { table in table = table.filter { $0.value > now } }
    }

    var count: Int { entries.withLock { $0.count } }
}
