// Live legacy SSE sessions by id. A session lives exactly as long as its GET stream.

import GatewayCore
import Synchronization

final class LegacySSESessions: Sendable {
    private let sessions = Mutex<[String: LegacySSESession]>([:])

    func open(gateway: Gateway) -> LegacySSESession {
        let session = LegacySSESession(id: ClientSession.mintID(), gateway: gateway)
        sessions.withLock { $0[session.id] = session }
        return session
    }

    func session(_ id: String) -> LegacySSESession? {
        sessions.withLock { $0[id] }
    }

    func close(_ id: String) {
        sessions.withLock { $0.removeValue(forKey: id) }?.close()
    }
}
