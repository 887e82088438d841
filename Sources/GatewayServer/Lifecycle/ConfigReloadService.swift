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
    let reloader: ConfigReloader
    let interval: Duration
    let logger: Logger

    init(reloader: ConfigReloader, interval: Duration, logger: Logger) {
        self.reloader = reloader
        self.interval = interval
        self.logger = logger
    }

    var path: String? { reloader.path }

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
                        reloader.reload()
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
            reloader.reload()
        }
    }
}
