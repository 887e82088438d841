// The limits on calls to backends: `failsafe.rate_limit` (a token bucket per backend, the
// reference's keys), `failsafe.concurrency` (calls in flight per backend, and the bounded
// queue every concurrency limit uses) and a backend's own overrides
// (`backends.NAME.rate_limit`, `backends.NAME.max_concurrent`). Per-principal limits live in
// `PrincipalRuleSettings`. GatewayGovernance enforces them.

/// A token bucket: `requestsPerSecond` refill, `burstSize` held.
public struct BackendRateLimitSettings: Sendable, Equatable {
    public var requestsPerSecond: Double
    public var burstSize: Int

    /// The reference's defaults.
    public static let defaultRequestsPerSecond = 100.0
    public static let defaultBurstSize = 50

    public init(requestsPerSecond: Double = BackendRateLimitSettings.defaultRequestsPerSecond, burstSize: Int = BackendRateLimitSettings.defaultBurstSize) {
        self.requestsPerSecond = requestsPerSecond
        self.burstSize = burstSize
    }
}

/// `failsafe.concurrency`: the default in-flight limit per backend and the queue in front of
/// every concurrency limit (per backend and per principal).
public struct ConcurrencySettings: Sendable, Equatable {
    /// Calls in flight per backend unless the backend sets its own; nil: no limit.
    public var maxConcurrent: Int?
    /// Calls that may wait for a slot; one more is refused at once.
    public var queue: Int
    /// How long a queued call waits for a slot before it is refused.
    public var queueTimeout: Duration

    public static let defaultQueue = 32
    public static let defaultQueueTimeout: Duration = .seconds(10)

    public init(maxConcurrent: Int? = nil, queue: Int = ConcurrencySettings.defaultQueue, queueTimeout: Duration = ConcurrencySettings.defaultQueueTimeout) {
        self.maxConcurrent = maxConcurrent
        self.queue = queue
        self.queueTimeout = queueTimeout
    }
}

/// `failsafe:`, the keys this gateway implements (circuit breaker, retry and health checks are
/// resilience, not security, and come with a later issue: warned and ignored until then).
public struct FailsafeSettings: Sendable, Equatable {
    /// `failsafe.rate_limit`: each backend's own bucket; nil: off (the section absent or
    /// `enabled: false`).
    public var rateLimit: BackendRateLimitSettings?
    public var concurrency: ConcurrencySettings
    /// `failsafe.circuit_breaker`; nil: off (the section absent or `enabled: false`).
    public var circuitBreaker: CircuitBreakerSettings?
    /// `failsafe.retry`; nil: off (the section absent or `enabled: false`).
    public var retry: RetrySettings?
    /// `failsafe.health_check`; nil: off.
    public var healthCheck: HealthCheckSettings?

    public init(rateLimit: BackendRateLimitSettings? = nil, concurrency: ConcurrencySettings = ConcurrencySettings(),
                circuitBreaker: CircuitBreakerSettings? = nil, retry: RetrySettings? = nil,
                healthCheck: HealthCheckSettings? = nil) {
        self.rateLimit = rateLimit
        self.concurrency = concurrency
        self.circuitBreaker = circuitBreaker
        self.retry = retry
        self.healthCheck = healthCheck
    }
}

/// A backend's own limits, overriding `failsafe`.
public struct BackendLimitSettings: Sendable, Equatable {
    /// `backends.NAME.rate_limit`; nil: `failsafe.rate_limit`.
    public var rateLimit: BackendRateLimitSettings?
    /// `backends.NAME.rate_limit: {enabled: false}`: no bucket for it, whatever `failsafe` says.
    public var rateLimitExempt: Bool
    /// `backends.NAME.max_concurrent`; nil: `failsafe.concurrency.max_concurrent`.
    public var maxConcurrent: Int?

    public init(rateLimit: BackendRateLimitSettings? = nil, rateLimitExempt: Bool = false, maxConcurrent: Int? = nil) {
        self.rateLimit = rateLimit
        self.rateLimitExempt = rateLimitExempt
        self.maxConcurrent = maxConcurrent
    }

    /// The bucket in force for the backend under `failsafe`; nil: none.
    public func effectiveRateLimit(_ failsafe: FailsafeSettings) -> BackendRateLimitSettings? {
        rateLimitExempt ? nil : (rateLimit ?? failsafe.rateLimit)
    }

    /// The in-flight limit in force for the backend under `failsafe`; nil: none.
    public func effectiveMaxConcurrent(_ failsafe: FailsafeSettings) -> Int? {
        maxConcurrent ?? failsafe.concurrency.maxConcurrent
    }
}
