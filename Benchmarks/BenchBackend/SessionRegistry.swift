// Session ids minted by initialize; requests carrying any other id get 404, as the spec asks.

import Synchronization

final class SessionRegistry: Sendable {
    private let ids = Mutex<Set<String>>([])

    func mint() -> String {
        let id = "bench-" + String(UInt64.random(in: .min ... .max), radix: 16)
        ids.withLock { _ = $0.insert(id) }
        return id
    }

    func contains(_ id: String?) -> Bool {
        guard let id else { return false }
        return ids.withLock { $0.contains(id) }
    }

    func remove(_ id: String?) -> Bool {
        guard let id else { return false }
        return ids.withLock { $0.remove(id) != nil }
    }
}
