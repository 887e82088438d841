// `failsafe.circuit_breaker`: when a backend is taken out of the way after failing, and how it
// is let back. The reference's keys (`failure_threshold`, `success_threshold`,
// `reset_timeout`) plus an error rate over a window, which catches a backend that fails half
// its calls without ever failing five in a row.

public struct CircuitBreakerSettings: Sendable, Equatable {
    /// Consecutive failures that open the breaker.
    public var failureThreshold: Int
    /// Successful probes in a row that close it again (one probe at a time).
    public var successThreshold: Int
    /// How long it stays open before one probe is let through.
    public var resetTimeout: Duration
    /// `error_rate`: the share of failed calls (0–1) over `window` that opens it too; nil: off.
    public var errorRate: Double?
    public var window: Duration
    /// `minimum_calls` in the window before the rate counts (a single failure is not 100%).
    public var minimumCalls: Int

    public init(failureThreshold: Int = 5, successThreshold: Int = 3, resetTimeout: Duration = .seconds(30),
                errorRate: Double? = nil, window: Duration = .seconds(60), minimumCalls: Int = 20) {
        self.failureThreshold = failureThreshold
        self.successThreshold = successThreshold
        self.resetTimeout = resetTimeout
        self.errorRate = errorRate
        self.window = window
        self.minimumCalls = minimumCalls
    }
}
