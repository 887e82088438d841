// When a failed attempt is repeated: only for idempotent operations (a POST that may have reached the API
// is never sent twice unless marked idempotent), only for failures that may pass (network, timeout, 429,
// 5xx), with exponential backoff and jitter so that many gateways do not retry in step.

struct RetryPolicy: Sendable {
    /// Attempts in total, the first included.
    var maxAttempts: Int
    /// Delay before the second attempt; doubled each time, with jitter.
    var initialBackoff: Duration
    var maxBackoff: Duration

    static let standard = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(200), maxBackoff: .seconds(5))

    static func isRetryable(_ error: CapabilityCallError) -> Bool {
        switch error {
        case .network, .timeout: return true
        case .httpStatus(let code, _, _, _): return code == 429 || code == 502 || code == 503 || code == 504 || code == 500
        default: return false
        }
    }

    /// Backoff before attempt `attempt` (2, 3, …): between half and all of initial·2^(attempt-2), capped.
    func delay(beforeAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        if let retryAfter, retryAfter <= maxBackoff { return retryAfter }
        let exponent = max(0, attempt - 2)
        let base = min(initialBackoff * (1 << min(exponent, 20)), maxBackoff)
        return base * Double.random(in: 0.5...1.0)
    }
}
