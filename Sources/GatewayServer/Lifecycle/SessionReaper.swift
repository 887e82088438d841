// Periodically drops idle HTTP sessions; closes every session at shutdown.

import ServiceLifecycle

struct SessionReaper: Service {
    let sessions: SessionStore

    /// A quarter of the idle timeout (at most a minute): an idle session outlives its
    /// timeout by at most that much.
    var interval: Duration { min(.seconds(60), max(.milliseconds(250), sessions.idleTimeout / 4)) }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            sessions.reap()
        }
        sessions.closeAll()
    }
}
