// Hot reload: checks gateway.yaml once a second (a stat, no read unless it changed) and on
// SIGHUP (the Unix convention; without this service SIGHUP's default action would end the
// process), loads it the way the CLI did, and hands a valid config to the gateway, which puts
// its backends (added, removed, replaced), governance and failsafes in force for the next
// request, and the API keys and bearer token to the gate. A file with errors changes nothing:
// each error is logged with its line, and the config in force stays. Settings that need a
// restart (listeners, how callers are identified) are named in the log. Started without a config file (the built-in default), SIGHUP is logged and ignored.

import Foundation
import GatewayConfig
import GatewayCore
import Logging
import ServiceLifecycle
import UnixSignals

struct ConfigReloadService: Service {
    let gateway: Gateway
    /// Whose API keys and bearer token a reload replaces.
    let identity: FrontEndIdentity
    /// The config file; nil when the gateway runs on the built-in default.
    let path: String?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups {
                        guard let path else {
                            logger.notice("SIGHUP: no config file to reload (running on the built-in default)")
                            continue
                        }
                        logger.notice("SIGHUP: reloading \(path)")
                        reload(path)
                    }
                }
                if let path { group.addTask { await poll(path) } }
                await group.waitForAll()
            }
        }
    }

    /// Reloads when the file's signature changes, until cancelled.
    private func poll(_ path: String) async {
        var seen = FileSignature.of(path)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            let now = FileSignature.of(path)
            guard now != seen, now != nil else { continue }
            seen = now
            reload(path)
        }
    }

    private func reload(_ path: String) {
        let result = ConfigLoader.load(file: path, environment: ProcessInfo.processInfo.environment)
        guard let config = result.config else {
            for problem in result.errors {
                logger.error("config reload refused: \(problem)")
            }
            logger.error("\(path) has errors: the rules in force are unchanged")
            gateway.reloadStatus.refused(result.errors.map(\.description))
            return
        }
        identity.reload(from: config)
        let needRestart = gateway.applyReloaded(config)
        gateway.reloadStatus.applied(pendingRestart: needRestart)
        logger.notice("config reloaded from \(path): backends, keys, scopes, policies, governance and failsafes now in force")
        if !needRestart.isEmpty {
            logger.warning("config reload: changes to \(needRestart.joined(separator: ", ")) take effect at the next restart")
        }
    }
}
