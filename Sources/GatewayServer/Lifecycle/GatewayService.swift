// The gateway's own lifecycle as a service: starts the core, marks readiness, and on
// shutdown (after the HTTP server has drained) stops every backend.

import GatewayCore
import Logging
import ServiceLifecycle

public struct GatewayService: Service {
    let gateway: Gateway
    let readiness: Readiness
    let logger: Logger
    /// Opened when the HTTP front end listens; nil for the stdio front end.
    let listening: StartupGate?

    public init(gateway: Gateway, readiness: Readiness, logger: Logger, listening: StartupGate? = nil) {
        self.gateway = gateway
        self.readiness = readiness
        self.logger = logger
        self.listening = listening
    }

    public func run() async throws {
        await listening?.waitUnlessCancelled()
        guard !Task.isCancelled else { return }
        await gateway.start()
        readiness.markReady()
        try? await gracefulShutdown()
        logger.info("stopping backends")
        // Unstructured so that cancellation of this service cannot cut the stop sequence short.
        let gateway = self.gateway
        await Task { await gateway.shutdown() }.value
        logger.info("backends stopped")
    }
}
