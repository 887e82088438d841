// Live legacy SSE sessions by id. A session lives exactly as long as its GET stream, and holds
// a slot of the session budget meanwhile, and belongs to the principal that opened it: to
// anyone else its id is unknown.

import GatewayAuth
import GatewayCore
import Synchronization

final class LegacySSESessions: Sendable {
    private let sessions = Mutex<[String: LegacySSESession]>([:])
    var count: Int { sessions.withLock { $0.count } }
    let budget: SessionBudget

    init(budget: SessionBudget) { self.budget = budget }

    /// A new session, or nil when the session budget is spent.
    func open(gateway: Gateway, principal: Principal, makeBuffer: (_ id: String) -> OutboundBuffer) -> LegacySSESession? {
        guard budget.acquire() else { return nil }
        let id = ClientSession.mintID()
        let session = LegacySSESession(id: id, gateway: gateway, principal: principal, buffer: makeBuffer(id))
        sessions.withLock { $0[session.id] = session }
        return session
    }

    /// The session `id` if `principal` opened it.
    func session(_ id: String, for principal: Principal) -> LegacySSESession? {
        guard let session = sessions.withLock({ $0[id] }), session.connection.principal.isSameOwner(as: principal) else { return nil }
        return session
    }

    func close(_ id: String) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return }
        budget.release()
        session.close()
    }
}
