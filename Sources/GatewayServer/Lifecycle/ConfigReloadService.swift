// Hot reload of the governance rules: checks gateway.yaml once a second (a stat, no read unless
// it changed), loads it the way the CLI did, and hands a valid config to the gateway, which
// swaps in its scopes (and the other governance settings) for the next request. A file with
// errors changes nothing: each error is logged with its line, and the rules in force stay.
// Settings that need a restart (backends, listeners, identities) are named in the log.

import Foundation
import GatewayConfig
import GatewayCore
import Logging
import ServiceLifecycle

struct ConfigReloadService: Service {
    let gateway: Gateway
    let path: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var seen = FileSignature.of(path)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            let now = FileSignature.of(path)
            guard now != seen, now != nil else { continue }
            seen = now
            reload()
        }
    }

    private func reload() {
        let result = ConfigLoader.load(file: path, environment: ProcessInfo.processInfo.environment)
        guard let config = result.config else {
            for problem in result.errors {
                logger.error("config reload refused: \(problem)")
            }
            logger.error("\(path) has errors: the rules in force are unchanged")
            return
        }
        let needRestart = gateway.applyReloaded(config)
        logger.notice("config reloaded from \(path): scopes, policies and governance rules now in force")
        if !needRestart.isEmpty {
            logger.warning("config reload: changes to \(needRestart.joined(separator: ", ")) take effect at the next restart")
        }
    }
}
