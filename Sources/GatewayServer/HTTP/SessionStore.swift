// Live Streamable HTTP sessions. Ids are minted only by initialize; idle sessions expire; each
// holds a slot of the global session budget (server.limits.max_sessions) while it lives. A
// session belongs to the principal that created it: to anyone else its id is unknown (the
// same 404, so an id reveals nothing about whether it exists).
//
// With the cluster's key ring, ids are sealed (SessionSealing): an id this instance has not
// seen, or has reaped while idle, re-creates its session here from what it carries, so
// instances behind a load balancer share every session. Such a session ends at DELETE (the
// id is then refused here until it would have expired) or when its id expires.

import Foundation
import GatewayAuth
import GatewayConfig
import GatewayCore
import MCPProtocol
import Synchronization

final class SessionStore: Sendable {
    private let sessions = Mutex<[String: ClientSession]>([:])
    /// Sealed ids ended by DELETE: refused until they would have expired.
    let ended: EndedSessionIDs
    let idleTimeout: Duration
    let subscriptions: ResourceSubscriptions?
    let budget: SessionBudget
    let limits: ServerLimits
    let sealing: SessionSealing?
    /// The front end a session re-created from a sealed id is recorded under.
    let frontEnd: FrontEnd
    /// With a cluster database: DELETEs told to and heard from the other instances.
    let shared: (any SessionEndingsSharing)?

    init(limits: ServerLimits = ServerLimits(), budget: SessionBudget? = nil, subscriptions: ResourceSubscriptions? = nil,
         sealing: SessionSealing? = nil, frontEnd: FrontEnd = .streamableHTTP, ended: EndedSessionIDs = EndedSessionIDs(),
         shared: (any SessionEndingsSharing)? = nil) {
        self.limits = limits
        self.idleTimeout = limits.sessionIdleTimeout
        self.budget = budget ?? SessionBudget(limit: limits.maxSessions)
        self.subscriptions = subscriptions
        self.sealing = sealing
        self.frontEnd = frontEnd
        self.ended = ended
        self.shared = shared
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
        let id: String
        var expires: Int?
        if let sealing {
            guard let minted = sealing.mint(context) else {
                budget.release()
                return nil
            }
            id = minted.id
            expires = minted.claims.expires
        } else {
            id = ClientSession.mintID()
        }
        var context = context
        context.sessionID = id
        let session = ClientSession(id: id, context: context, journalEvents: limits.journalEvents, journalBytes: limits.journalBytes,
                                    expires: expires)
        sessions.withLock { $0[id] = session }
        register(session)
        return session
    }

    private func register(_ session: ClientSession) {
        subscriptions?.register(subscriber: session.id) { [weak session] message in session?.send(message) }
    }

    /// The session `id` if `principal` owns it; with sealed ids, re-created here when this
    /// instance does not hold it.
    func session(_ id: String, for principal: Principal) -> ClientSession? {
        if let session = sessions.withLock({ $0[id] }) {
            guard session.context.principal.isSameOwner(as: principal) else { return nil }
            if let expires = session.expires, expires <= Int(Date().timeIntervalSince1970) {
                end(id)
                return nil
            }
            session.touch()
            return session
        }
        return resumed(id, for: principal)
    }

    /// The session a sealed `id` carries, re-created on this instance.
    private func resumed(_ id: String, for principal: Principal) -> ClientSession? {
        guard let sealing, let claims = sealing.open(id), claims.owner == principal.owner,
              !ended.contains(id), budget.acquire() else { return nil }
        let context = ClientContext(principal: principal, protocolVersion: claims.protocolVersion, capabilities: claims.capabilities,
                                    sessionID: id, logLevel: ClientLogLevel(), frontEnd: frontEnd)
        let fresh = ClientSession(id: id, context: context, journalEvents: limits.journalEvents, journalBytes: limits.journalBytes,
                                  expires: claims.expires)
        // Two first requests of one session can race here: one session is kept.
        let kept = sessions.withLock { table -> ClientSession in
            if let existing = table[id] { return existing }
            table[id] = fresh
            return fresh
        }
        guard kept === fresh else {
            budget.release()
            kept.touch()
            return kept
        }
        register(fresh)
        return fresh
    }

    /// Ends the session `id` if `principal` owns it.
    @discardableResult
    func remove(_ id: String, for principal: Principal) -> Bool {
        let removed = sessions.withLock { table -> ClientSession? in
            guard let session = table[id], session.context.principal.isSameOwner(as: principal) else { return nil }
            return table.removeValue(forKey: id)
        }
        if let removed {
            if let expires = removed.expires { ended.insert(id, expires: expires) }
            retire(removed)
            return true
        }
        // A sealed id this instance does not hold is still the caller's to end.
        guard let sealing, let claims = sealing.open(id), claims.owner == principal.owner else { return false }
        return ended.insert(id, expires: claims.expires)
    }

    /// DELETE: `remove`, then, with a cluster database, every other instance is told (and
    /// waited for, so the 204 means the whole service refuses the id).
    func end(_ id: String, for principal: Principal) async -> Bool {
        guard remove(id, for: principal) else { return false }
        if let shared, let sealing, let claims = sealing.open(id) {
            await shared.publish(digest: EndedSessionIDs.digest(of: id), expires: claims.expires)
        }
        return true
    }

    /// Hears the other instances' DELETEs until the task is cancelled (a service of the HTTP
    /// front end when a cluster database is configured).
    func listenForEndings() async {
        guard let shared else { return }
        await shared.listen { [weak self] digest, expires in
            guard let self, self.ended.insert(digest: digest, expires: expires) else { return }
            self.endLocally(digest: digest)
        }
    }

    /// Another instance ended the session whose id has this digest: end it here too.
    func endLocally(digest: [UInt8]) {
        let gone = sessions.withLock { table -> [ClientSession] in
            let matching = table.keys.filter { EndedSessionIDs.digest(of: $0) == digest }
            return matching.compactMap { table.removeValue(forKey: $0) }
        }
        gone.forEach { retire($0) }
    }

    /// Ends a session whose sealed id expired.
    private func end(_ id: String) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return }
        retire(session)
    }

    var all: [ClientSession] { sessions.withLock { Array($0.values) } }

    var count: Int { sessions.withLock { $0.count } }

    /// Drops sessions idle for longer than the timeout that have no open stream.
    func reap() {
        let expired = sessions.withLock { table -> [ClientSession] in
            let now = Int(Date().timeIntervalSince1970)
            let old = table.values.filter { ($0.expires.map { $0 <= now } ?? false) || (!$0.hasStream && $0.idleFor > idleTimeout) }
            for session in old { table[session.id] = nil }
            return old
        }
        expired.forEach { retire($0) }
        ended.prune(now: Int(Date().timeIntervalSince1970))
    }

    func closeAll() {
        let all = sessions.withLock { table -> [ClientSession] in
            defer { table.removeAll() }
            return Array(table.values)
        }
        all.forEach { retire($0) }
    }
}
