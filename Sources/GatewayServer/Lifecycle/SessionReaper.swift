// Periodically drops idle HTTP sessions; closes every session at shutdown.

import ServiceLifecycle

struct SessionReaper: Service, CustomStringConvertible {
    let sessions: SessionStore

    /// Hummingbird names the services of its own group "\(service)": without a description that
    /// is a reflection of the whole session store, ~10M instructions of conformance lookups
    /// before the first request can be answered (callgrind, BENCHMARKS.md).
    var description: String { "SessionReaper" }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            sessions.reap()
        }
        sessions.closeAll()
    }
}
