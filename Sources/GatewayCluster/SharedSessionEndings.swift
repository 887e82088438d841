// DELETE across instances over the cluster database: an ending is recorded in PostgreSQL, which
// tells the other instances (ClusterEvent.sessionEnded, NOTIFY on commit); a listener that
// (re)connects loads every ending not yet expired first, since notifications sent while it was
// away are gone.

import Foundation
import GatewayServer
import GatewayStore
import Logging

public final class SharedSessionEndings: SessionEndingsSharing {
    let store: ClusterStore
    let logger: Logger

    public init(store: ClusterStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func publish(digest: [UInt8], expires: Int) async {
        do {
            _ = try await store.endSession(idHash: digest, expires: expires)
        } catch {
            // This instance refuses the id anyway; the others do only if they heard.
            logger.warning("cluster database: a session's end was not shared", metadata: ["error": "\(error)"])
        }
    }

    public func listen(ended: @escaping @Sendable ([UInt8], Int) -> Void) async {
        let store = store, logger = logger
        await store.listen(synced: {
            do {
                for entry in try await store.endedSessions(now: Int(Date().timeIntervalSince1970)) {
                    ended(entry.idHash, entry.expires)
                }
            } catch {
                logger.warning("cluster database: ended sessions not loaded", metadata: ["error": "\(error)"])
            }
        }, handle: { event in
            if case .sessionEnded(let digest, let expires) = event { ended(digest, expires) }
        })
    }
}
