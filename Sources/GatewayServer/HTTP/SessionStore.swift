// Live Streamable HTTP sessions. Ids are minted only by initialize; idle sessions expire; each
// holds a slot of the global session budget (server.limits.max_sessions) while it lives. A
// session belongs to the principal that created it: to anyone else its id is unknown (the
// same 404, so an id reveals nothing about whether it exists).

import GatewayAuth
import GatewayConfig
import GatewayCore
import MCPProtocol
import Synchronization

final class SessionStore: Sendable {
    private let sessions = Mutex<[String: ClientSession]>([:])
    let idleTimeout: Duration
    let subscriptions: ResourceSubscriptions?
    let budget: SessionBudget
    let limits: ServerLimits

    init(limits: ServerLimits = ServerLimits(), budget: SessionBudget? = nil, subscriptions: ResourceSubscriptions? = nil) {
        self.limits = limits
        self.idleTimeout = limits.sessionIdleTimeout
        self.budget = budget ?? SessionBudget(limit: limits.maxSessions)
        self.subscriptions = subscriptions
    }

    /// Closes the session and releases its resource subscriptions.
    private func retire(_ session: ClientSession) {
        budget.release()
        session.close()
        if let subscriptions {
            let id = session.id
            Task { await subscriptions.unregister(subscriber: id) }
        }
    }

    /// A new session, or nil when the session budget is spent.
    func create(context: ClientContext) -> ClientSession? {
        guard budget.acquire() else { return nil }
        let id = ClientSession.mintID()
        var context = context
        context.sessionID = id
        let session = ClientSession(id: id, context: context, journalEvents: limits.journalEvents, journalBytes: limits.journalBytes)
        sessions.withLock { $0[id] = session }
        subscriptions?.register(subscriber: id) { [weak session] message in session?.send(message) }
        return session
    }

    /// The session `id` if `principal` owns it.
    func session(_ id: String, for principal: Principal) -> ClientSession? {
        guard let session = sessions.withLock({ $0[id] }), session.context.principal.isSameOwner(as: principal) else { return nil }
        session.touch()
        return session
    }

    /// Ends the session `id` if `principal` owns it.
    @discardableResult
    func remove(_ id: String, for principal: Principal) -> Bool {
        let removed = sessions.withLock { table -> ClientSession? in
            guard let session = table[id], session.context.principal.isSameOwner(as: principal) else { return nil }
            return table.removeValue(forKey: id)
        }
        guard let removed else { return false }
        retire(removed)
        return true
    }

    var all: [ClientSession] { sessions.withLock { Array($0.values) } }

    var count: Int { sessions.withLock { $0.count } }

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
