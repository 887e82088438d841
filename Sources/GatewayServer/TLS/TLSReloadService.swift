// Checks the TLS files for changes every `mtls.reload_interval` (a stat of each, no read unless
// one changed) and has the store swap in a new context for new connections.

import Logging
import ServiceLifecycle

struct TLSReloadService: Service {
    let store: TLSContextStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            store.reloadIfChanged(logger: logger)
        }
    }
}
