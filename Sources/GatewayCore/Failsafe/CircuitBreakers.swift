// The circuit breakers of one gateway, one per backend (and per capability tool: each calls
// its own API, so one failing REST endpoint must not take the others out). Created on a
// backend's first call; the settings reload with the config (unchanged, a breaker keeps its state).

import GatewayConfig
import Synchronization

public final class CircuitBreakers: Sendable {
    struct State {
        var settings: CircuitBreakerSettings?
        var breakers: [String: CircuitBreaker] = [:]
    }

    private let state: Mutex<State>
    let clock: @Sendable () -> ContinuousClock.Instant

    public init(settings: CircuitBreakerSettings?, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        state = Mutex(State(settings: settings))
        self.clock = clock
    }

    /// Whether breakers are configured (else the stage is left out of the pipeline).
    public var isEnabled: Bool { state.withLock { $0.settings != nil } }

    /// A reload: unchanged settings keep every breaker's state; changed ones (or none) start
    /// afresh (a window sliced for the old settings is not reused).
    public func update(settings: CircuitBreakerSettings?) {
        state.withLock { state in
            guard state.settings != settings else { return }
            state.settings = settings
            state.breakers.removeAll()
        }
    }

    func admit(_ key: String) -> (CircuitBreaker.Admission, lastFailure: String?) {
        let now = clock()
        return state.withLock { state in
            guard let settings = state.settings else { return (.call, nil) }
            // Mutated in place: a copy out of the dictionary and back would copy the window's
            // buckets on every call (copy on write of a shared array).
            let admission = state.breakers[key, default: CircuitBreaker(settings: settings, origin: now)].admit(now: now)
            guard case .refuse = admission else { return (admission, nil) }
            return (admission, state.breakers[key]?.lastFailure)
        }
    }

    func record(_ key: String, _ result: CircuitBreaker.Result, probe: Bool) {
        let now = clock()
        state.withLock { $0.breakers[key]?.record(result, probe: probe, now: now) }
    }

    /// Each breaker that is not closed, by key: what /health and gateway_list_servers show.
    public func report() -> [String: (state: String, lastFailure: String?, opened: Int)] {
        state.withLock { state in
            var report: [String: (state: String, lastFailure: String?, opened: Int)] = [:]
            for (key, breaker) in state.breakers {
                report[key] = (breaker.state.name, breaker.lastFailure, breaker.opened)
            }
            return report
        }
    }

    /// The state of one backend's breaker: `closed` when it has none yet.
    public func stateName(of key: String) -> String {
        state.withLock { $0.breakers[key]?.state.name ?? "closed" }
    }
}
