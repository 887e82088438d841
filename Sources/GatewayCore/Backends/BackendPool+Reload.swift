// What a reloaded config changes in the set of backends: added ones join (started lazily, like
// at start), removed ones leave the pool at once (a new call names an unknown server) and are
// stopped once their calls in flight are over, changed ones are replaced the same way (the new
// one starts on its first call). A change only to what the call pipeline reads per call
// (limits, per-tool timeouts, idempotent tools, trust in annotations) keeps the backend running:
// those reload through the pipeline.

import GatewayBackends
import GatewayConfig

extension BackendPool {
    public struct Reconciled: Sendable {
        public var added: [String] = []
        public var removed: [String] = []
        public var replaced: [String] = []
        /// Backends out of the pool now, to be drained and stopped by the caller.
        public var retired: [Backend] = []

        public var isEmpty: Bool { added.isEmpty && removed.isEmpty && replaced.isEmpty }
    }

    /// Puts `settings` in force for every call from now on (in the order written).
    public func reconcile(_ settings: [BackendSettings]) -> Reconciled {
        guard let makeBackend else { return Reconciled() }
        var result = Reconciled()
        members.withLock { members in
            var next: [Backend] = []
            for wanted in settings {
                if let current = members.byName[wanted.name] {
                    if Self.runsTheSame(current.settings, wanted) {
                        next.append(current)
                    } else {
                        next.append(makeBackend(wanted))
                        result.replaced.append(wanted.name)
                        result.retired.append(current)
                    }
                } else {
                    next.append(makeBackend(wanted))
                    result.added.append(wanted.name)
                }
            }
            let kept = Set(settings.map(\.name))
            for old in members.backends where !kept.contains(old.name) {
                result.removed.append(old.name)
                result.retired.append(old)
            }
            members = Members(next)
        }
        if !result.isEmpty {
            // New backends get their own wait for a first tool list, and the next pass looks.
            let fresh = Set(result.added + result.replaced)
            waits.withLock { waits in for name in fresh { waits[name] = nil } }
            lastCompletePass.withLock { $0 = nil }
        }
        return result
    }

    /// Whether two settings of one backend run and reach it the same way.
    static func runsTheSame(_ a: BackendSettings, _ b: BackendSettings) -> Bool {
        perCallFieldsCleared(a) == perCallFieldsCleared(b)
    }

    /// The settings without what the pipeline reads per call, which reloads without a restart.
    static func perCallFieldsCleared(_ settings: BackendSettings) -> BackendSettings {
        var bare = settings
        bare.limits = BackendLimitSettings()
        bare.toolTimeouts = []
        bare.idempotentTools = []
        bare.trustAnnotations = false
        return bare
    }
}
