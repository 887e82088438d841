// Periodically drops idle HTTP sessions; closes every session at shutdown.

import ServiceLifecycle

struct SessionReaper: Service {
    let sessions: SessionStore

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            sessions.reap()
        }
        sessions.closeAll()
    }
}
