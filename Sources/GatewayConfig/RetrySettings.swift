// `failsafe.retry`: when a failed backend operation is sent again. The reference's keys
// (`max_attempts` counts every attempt, `initial_backoff`, `max_backoff`, `multiplier`) plus a
// retry budget. Which operations may be retried at all (a second execution must be harmless)
// is decided per call, not here: see the gateway's retry rules in docs/reliability.md.

public struct RetrySettings: Sendable, Equatable {
    /// Attempts in all, the first included (2 means one retry).
    public var maxAttempts: Int
    /// The backoff before the first retry; each later one is `multiplier` times longer.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var multiplier: Double
    /// `budget`: retries may be at most this share of a backend's calls (0.1: one retry per ten
    /// calls), so a failing backend is not sent more load than it was asked for.
    public var budget: Double

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(10),
                multiplier: Double = 2, budget: Double = 0.1) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.budget = budget
    }
}

/// `failsafe.health_check`: running backends are pinged; one that stops answering (hung, not
/// dead) is restarted once its calls in flight are over.
public struct HealthCheckSettings: Sendable, Equatable {
    public var interval: Duration
    /// How long a ping may take.
    public var timeout: Duration
    /// Missed pings in a row before the backend is restarted.
    public var failureThreshold: Int

    public init(interval: Duration = .seconds(10), timeout: Duration = .seconds(5), failureThreshold: Int = 3) {
        self.interval = interval
        self.timeout = timeout
        self.failureThreshold = failureThreshold
    }
}
