// Loads gateway.yaml again and puts a valid result in force: the gateway's backends,
// governance and failsafes for the next request, the API keys and bearer token at the gate. A
// file with errors changes nothing: each error is logged with its line and shown in /health.
// Run by ConfigReloadService (the file changed, SIGHUP) and by the dashboard's reload button.

import Foundation
import GatewayConfig
import GatewayCore
import Logging

public struct ConfigReloader: Sendable {
    public enum Outcome: Sendable, Equatable {
        case applied(pendingRestart: [String])
        case refused(errors: [String])
        /// Running on the built-in default: there is no file to read.
        case noFile
    }

    let gateway: Gateway
    /// Whose API keys and bearer token a reload replaces.
    let identity: FrontEndIdentity
    /// The config file; nil when the gateway runs on the built-in default.
    let path: String?
    let logger: Logger

    public init(gateway: Gateway, identity: FrontEndIdentity, path: String?, logger: Logger) {
        self.gateway = gateway
        self.identity = identity
        self.path = path
        self.logger = logger
    }

    @discardableResult
    public func reload() -> Outcome {
        guard let path else { return .noFile }
        let result = ConfigLoader.load(file: path, environment: ProcessInfo.processInfo.environment)
        guard let config = result.config else {
            for problem in result.errors {
                logger.error("config reload refused: \(problem)")
            }
            logger.error("\(path) has errors: the rules in force are unchanged")
            let errors = result.errors.map(\.description)
            gateway.reloadStatus.refused(errors)
            return .refused(errors: errors)
        }
        identity.reload(from: config)
        let needRestart = gateway.applyReloaded(config)
        gateway.reloadStatus.applied(pendingRestart: needRestart)
        logger.notice("config reloaded from \(path): backends, keys, scopes, policies, governance and failsafes now in force")
        if !needRestart.isEmpty {
            logger.warning("config reload: changes to \(needRestart.joined(separator: ", ")) take effect at the next restart")
        }
        return .applied(pendingRestart: needRestart)
    }
}
