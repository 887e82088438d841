// Live legacy SSE sessions by id. A session lives exactly as long as its GET stream, and holds
// a slot of the session budget meanwhile.

import GatewayCore
import Synchronization

final class LegacySSESessions: Sendable {
    private let sessions = Mutex<[String: LegacySSESession]>([:])
    let budget: SessionBudget

    init(budget: SessionBudget) { self.budget = budget }

    /// A new session, or nil when the session budget is spent.
    func open(gateway: Gateway, makeBuffer: (_ id: String) -> OutboundBuffer) -> LegacySSESession? {
        guard budget.acquire() else { return nil }
        let id = ClientSession.mintID()
        let session = LegacySSESession(id: id, gateway: gateway, buffer: makeBuffer(id))
        sessions.withLock { $0[session.id] = session }
        return session
    }

    func session(_ id: String) -> LegacySSESession? {
        sessions.withLock { $0[id] }
    }

    func close(_ id: String) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return }
        budget.release()
        session.close()
    }
}
