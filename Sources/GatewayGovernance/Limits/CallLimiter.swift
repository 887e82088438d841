// Rate and concurrency limits on backend-bound calls, per principal and per backend, as one
// object that outlives config reloads: buckets and gates are kept by name (principal owner,
// tool glob, backend), and `update(config:)` swaps only the settings. A call is admitted
// with a permit (the concurrency slots it holds) or refused with a `limited` refusal that
// names the limit and says when to retry.
//
// Order: the buckets first, all or nothing (a call refused by one spends no token of
// another, and a call refused by a rate never takes a queue place), then the principal's
// concurrency gate, then the backend's.

import GatewayAuth
import GatewayConfig
import Synchronization

public final class CallLimiter: Sendable {
    /// The rule blocks that apply to a principal (its API key entry, then `policies` by name,
    /// group and scope); the strictest limit among them applies.
    public typealias RuleBlocks = @Sendable (Principal) -> [PrincipalRuleSettings]

    /// What `admit` decided.
    public enum Admission: Sendable {
        case admitted(Permit)
        case refused(GovernanceRefusal)
    }

    /// The concurrency slots an admitted call holds until it is over.
    public struct Permit: Sendable {
        let gates: [ConcurrencyGate]

        public func release() {
            for gate in gates { gate.release() }
        }
    }

    struct Settings: Sendable {
        var backendRates: [String: BackendRateLimitSettings] = [:]
        var backendConcurrency: [String: Int] = [:]
        var queue = ConcurrencySettings.defaultQueue
        var queueTimeout = ConcurrencySettings.defaultQueueTimeout
        /// False when no rule block sets a principal limit: the rules are not even asked.
        var principalLimits = false
        var rules: RuleBlocks = { _ in [] }
        /// Each principal's limits, worked out once per settings: resolving its rule blocks and
        /// compiling their globs on every call cost ~10k instructions a relayed call (callgrind).
        let resolved = ResolvedLimits()

        init() {}

        init(config: GatewayConfig, rules: @escaping RuleBlocks) {
            for backend in config.backends {
                if let rate = backend.limits.effectiveRateLimit(config.failsafe) { backendRates[backend.name] = rate }
                if let limit = backend.limits.effectiveMaxConcurrent(config.failsafe) { backendConcurrency[backend.name] = limit }
            }
            queue = config.failsafe.concurrency.queue
            queueTimeout = config.failsafe.concurrency.queueTimeout
            principalLimits = PrincipalLimits.anyConfigured(config)
            self.rules = rules
        }
    }

    private let settings: Mutex<Settings>
    private let rates: RateLimiter
    private let gates = ConcurrencyGates()

    public init(config: GatewayConfig, rules: @escaping RuleBlocks, clock: LimitClock = .system) {
        settings = Mutex(Settings(config: config, rules: rules))
        rates = RateLimiter(clock: clock)
    }

    /// A limiter reading principals' limits through `PrincipalRuleResolver`.
    public convenience init(config: GatewayConfig, clock: LimitClock = .system) {
        self.init(config: config, rules: Self.resolvedRules(config), clock: clock)
    }

    /// The rule blocks `PrincipalRuleResolver` finds for a principal in `config`.
    public static func resolvedRules(_ config: GatewayConfig) -> RuleBlocks {
        { PrincipalRuleResolver.blocks(for: $0, in: config).map(\.rules) }
    }

    /// New settings from a reloaded config; counters, buckets and calls in flight are kept.
    public func update(config: GatewayConfig) {
        update(config: config, rules: Self.resolvedRules(config))
    }

    /// New settings from a reloaded config; counters, buckets and calls in flight are kept.
    public func update(config: GatewayConfig, rules: @escaping RuleBlocks) {
        let fresh = Settings(config: config, rules: rules)
        settings.withLock { $0 = fresh }
    }

    /// True when `config` sets any limit this limiter enforces (without one, the stage is
    /// left out of the pipeline and costs nothing per call).
    public static func isNeeded(_ config: GatewayConfig) -> Bool {
        config.failsafe.rateLimit != nil || config.failsafe.concurrency.maxConcurrent != nil
            || config.backends.contains { $0.limits.rateLimit != nil || $0.limits.maxConcurrent != nil }
            || PrincipalLimits.anyConfigured(config)
    }

    /// Admits a call of `principal` to `server` (`tool` for a tool call), waiting in a queue
    /// for a concurrency slot if need be.
    public func admit(principal: Principal, server: String, tool: String?) async -> Admission {
        let current = settings.withLock { $0 }
        let limits = current.principalLimits ? current.resolved.limits(for: principal, rules: current.rules) : PrincipalLimits()
        let method = principal.method.rawValue

        // What each demand is, to name it if it refuses (messages are built only then).
        enum Source {
            case principal(Int)
            case tool(PrincipalLimits.ToolBucket)
            case backend(BackendRateLimitSettings)
        }
        var demands: [RateLimiter.Demand] = []
        var sources: [Source] = []
        if let perMinute = limits.requestsPerMinute {
            demands.append(.init(key: LimitKey(kind: .principal, method: method, name: principal.name),
                                 ratePerSecond: Double(perMinute) / 60, capacity: perMinute))
            sources.append(.principal(perMinute))
        }
        if let tool {
            for bucket in limits.toolBuckets where Self.matches(bucket.glob, server: server, tool: tool) {
                demands.append(.init(key: LimitKey(kind: .principalTool, method: method, name: principal.name, glob: bucket.glob.pattern),
                                     ratePerSecond: bucket.ratePerSecond, capacity: bucket.burst))
                sources.append(.tool(bucket))
            }
        }
        if let backend = current.backendRates[server] {
            demands.append(.init(key: LimitKey(kind: .backend, name: server), ratePerSecond: backend.requestsPerSecond,
                                 capacity: backend.burstSize))
            sources.append(.backend(backend))
        }
        if !demands.isEmpty, let refusal = rates.acquire(demands) {
            let who = Self.label(principal)
            let (limit, text): (String, String)
            switch sources[refusal.index] {
            case .principal(let perMinute):
                (limit, text) = ("rate_limit", "rate limit of \(who) (\(perMinute)/min)")
            case .tool(let bucket):
                (limit, text) = ("tool_rate_limits",
                                 "tool rate limit '\(bucket.glob.pattern)' of \(who) (\(Self.rateText(bucket.ratePerSecond)), burst \(bucket.burst))")
            case .backend(let backend):
                (limit, text) = ("backend_rate_limit",
                                 "rate limit of backend '\(server)' (\(Self.rateText(backend.requestsPerSecond)), burst \(backend.burstSize))")
            }
            return .refused(.limited(limit, retryAfterMs: refusal.retryAfterMs,
                                     message: "\(text) reached; retry in \(refusal.retryAfterMs) ms"))
        }

        var held: [ConcurrencyGate] = []
        if let limit = limits.maxConcurrent {
            let gate = gates.gate(LimitKey(kind: .principal, method: method, name: principal.name), limit: limit)
            if let refusal = await enter(gate, limit: "max_concurrent", current,
                                         what: { "concurrency limit of \(Self.label(principal)) (\(limit) in flight)" }) {
                return .refused(refusal)
            }
            held.append(gate)
        }
        if let limit = current.backendConcurrency[server] {
            let gate = gates.gate(LimitKey(kind: .backend, name: server), limit: limit)
            if let refusal = await enter(gate, limit: "backend_max_concurrent", current,
                                         what: { "concurrency limit of backend '\(server)' (\(limit) in flight)" }) {
                for gate in held { gate.release() }
                return .refused(refusal)
            }
            held.append(gate)
        }
        return .admitted(Permit(gates: held))
    }

    private func enter(_ gate: ConcurrencyGate, limit: String, _ settings: Settings, what: () -> String) async -> GovernanceRefusal? {
        let entry = await gate.enter(queueLimit: settings.queue, queueTimeout: settings.queueTimeout)
        if entry == .admitted { return nil }
        let what = what()
        let timeoutMs = Int(settings.queueTimeout.components.seconds * 1000 + settings.queueTimeout.components.attoseconds / 1_000_000_000_000_000)
        // No slot is predicted; the hint is the queue timeout, at most a second.
        let hint = max(1, min(timeoutMs, 1000))
        switch entry {
        case .admitted: return nil
        case .queueFull:
            return .limited(limit, retryAfterMs: hint, message: "\(what) reached and its queue is full (\(settings.queue) waiting); retry in \(hint) ms")
        case .timedOut:
            return .limited(limit, retryAfterMs: hint, message: "\(what) reached: no slot within the queue timeout of \(timeoutMs) ms; retry in \(hint) ms")
        case .cancelled:
            return .limited(limit, retryAfterMs: hint, message: "\(what): the call was cancelled while queued")
        }
    }

    /// A pattern with `:` is over `server:tool`; a bare one is over the tool name on any server.
    static func matches(_ glob: Glob, server: String, tool: String) -> Bool {
        glob.pattern.contains(":") ? glob.matches(server + ":" + tool) : glob.matches(tool)
    }

    static func label(_ principal: Principal) -> String {
        principal.method == .apiKey ? "key '\(principal.name)'" : "principal '\(principal.name)'"
    }

    /// `5/s`, `30/min`, `2.5/s`.
    static func rateText(_ perSecond: Double) -> String {
        if perSecond >= 1, perSecond == perSecond.rounded() { return "\(Int(perSecond))/s" }
        let perMinute = perSecond * 60
        if (perMinute * 1000).rounded() == (perMinute.rounded() * 1000) { return "\(Int(perMinute.rounded()))/min" }
        let perHour = perSecond * 3600
        if (perHour * 1000).rounded() == (perHour.rounded() * 1000) { return "\(Int(perHour.rounded()))/h" }
        return "\(perSecond)/s"
    }
}

/// Principals' limits, remembered (bounded) for one version of the settings.
final class ResolvedLimits: Sendable {
    private let byPrincipal = Mutex<[Principal: PrincipalLimits]>([:])
    static let limit = 10_000

    func limits(for principal: Principal, rules: CallLimiter.RuleBlocks) -> PrincipalLimits {
        if let known = byPrincipal.withLock({ $0[principal] }) { return known }
        let limits = PrincipalLimits(blocks: rules(principal))
        byPrincipal.withLock { cache in
            if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
            cache[principal] = limits
        }
        return limits
    }
}
