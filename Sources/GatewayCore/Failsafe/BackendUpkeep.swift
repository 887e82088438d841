// The gateway's rounds over its backends between calls: health pings every
// `failsafe.health_check.interval` (a backend that misses `failure_threshold` in a row is
// restarted once its calls in flight are over, see Backend+Upkeep), and the idle stop of stdio
// backends with `stop_when_idle_for`. One task for all backends; the pings of one round go out
// concurrently, so a hung backend does not delay the others' checks. Settings reload.

import GatewayBackends
import GatewayConfig
import Logging
import Synchronization

final class BackendUpkeep: Sendable {
    private let pool: BackendPool
    private let healthCheck: Mutex<HealthCheckSettings?>
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// A round is under way (its pings may outlast the interval): the next one waits for it.
    private let roundRunning = Atomic<Bool>(false)
    /// How often the idle stop looks (a stop comes at most this late).
    static let idleTick: Duration = .milliseconds(500)

    init(pool: BackendPool, healthCheck: HealthCheckSettings?) {
        self.pool = pool
        self.healthCheck = Mutex(healthCheck)
    }

    func update(healthCheck settings: HealthCheckSettings?) {
        healthCheck.withLock { $0 = settings }
    }

    func start() {
        let running = Task { [self] in
            var nextRound = ContinuousClock.now
            while !Task.isCancelled {
                // Read every round: a reload adds and replaces backends.
                let idleBackends = pool.backends.filter { $0.settings.stopWhenIdleFor != nil && $0.settings.transport.isStdio }
                for backend in idleBackends { await backend.stopIfIdle() }
                if let settings = healthCheck.withLock({ $0 }) {
                    if ContinuousClock.now >= nextRound {
                        nextRound = ContinuousClock.now + settings.interval
                        // Not awaited: a ping waits up to its timeout, the idle stop must not.
                        if !roundRunning.exchange(true, ordering: .acquiringAndReleasing) {
                            Task {
                                await self.round(settings)
                                self.roundRunning.store(false, ordering: .releasing)
                            }
                        }
                    }
                } else {
                    nextRound = ContinuousClock.now
                }
                let wait = idleBackends.isEmpty ? min(healthCheck.withLock({ $0 })?.interval ?? .seconds(1), .seconds(1)) : Self.idleTick
                try? await Task.sleep(for: wait)
            }
        }
        task.withLock { $0 = running }
    }

    /// Pings every running backend once, concurrently.
    private func round(_ settings: HealthCheckSettings) async {
        await withTaskGroup(of: Void.self) { group in
            for backend in pool.backends where backend.settings.enabled {
                group.addTask {
                    _ = await backend.probeHealth(timeout: settings.timeout, failureThreshold: settings.failureThreshold)
                }
            }
        }
    }

    func stop() {
        task.withLock { $0 }?.cancel()
    }
}
