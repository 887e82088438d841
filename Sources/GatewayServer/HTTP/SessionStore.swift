// Live Streamable HTTP sessions. Ids are minted only by initialize; idle sessions expire.

import GatewayCore
import MCPProtocol
import Synchronization

final class SessionStore: Sendable {
    private let sessions = Mutex<[String: ClientSession]>([:])
    let idleTimeout: Duration
    let subscriptions: ResourceSubscriptions?

    init(idleTimeout: Duration = .seconds(3600), subscriptions: ResourceSubscriptions? = nil) {
        self.idleTimeout = idleTimeout
        self.subscriptions = subscriptions
    }

    /// Closes the session and releases its resource subscriptions.
    private func retire(_ session: ClientSession) {
        session.close()
        if let subscriptions {
            let id = session.id
            Task { await subscriptions.unregister(subscriber: id) }
        }
    }

    func create(context: ClientContext) -> ClientSession {
        let id = ClientSession.mintID()
        var context = context
        context.sessionID = id
        let session = ClientSession(id: id, context: context)
        sessions.withLock { $0[id] = session }
        subscriptions?.register(subscriber: id) { [weak session] message in session?.send(message) }
        return session
    }

    func session(_ id: String) -> ClientSession? {
        let session = sessions.withLock { $0[id] }
        session?.touch()
        return session
    }

    @discardableResult
    func remove(_ id: String) -> Bool {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return false }
        retire(session)
        return true
    }

    var all: [ClientSession] { sessions.withLock { Array($0.values) } }

    /// Drops sessions idle for longer than the timeout that have no open stream.
    func reap() {
        let expired = sessions.withLock { table -> [ClientSession] in
            let old = table.values.filter { !$0.hasStream && $0.idleFor > idleTimeout }
            for session in old { table[session.id] = nil }
            return old
        }
        expired.forEach { retire($0) }
    }

    func closeAll() {
        let all = sessions.withLock { table -> [ClientSession] in
            defer { table.removeAll() }
            return Array(table.values)
        }
        all.forEach { retire($0) }
    }
}
