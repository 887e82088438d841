// Whether a failed backend operation is sent again, and after how long. A second execution
// must be harmless: listings, `resources/read`, `prompts/get` and pings always are; a tool call
// is only when the operator lists it in `idempotent_tools` (or, with `trust_annotations`, the
// server marks it read-only or idempotent); any operation is when the backend cannot have
// received it (it could not be started or connected). What the backend answered, even with an
// error, is never retried, and neither is a timeout: the deadline it hit is the call's own.
// Backoff is exponential with full jitter; the retry budget and the caller's deadline bound it.

import GatewayBackends
import GatewayConfig

enum RetryRules {
    /// Operations a backend performs without side effects, so a second run is harmless.
    static func isHarmless(_ operation: BackendCall.Operation) -> Bool {
        switch operation {
        case .resourceRead, .prompt: return true
        case .relayed(let method):
            return method == "ping" || method == "tools/list" || method == "resources/list"
                || method == "resources/templates/list" || method == "prompts/list"
        case .tool, .resourceSubscription: return false
        }
    }

    /// Whether `failure` may be retried for an operation whose second run is harmless or not.
    static func allows(_ failure: BackendAttemptFailure, harmless: Bool) -> Bool {
        switch failure.error {
        case .remote, .cancelled, .disabled:
            return false
        case .timeout:
            // Only a start that timed out: a request that did is never sent again.
            return !failure.reachedBackend
        case .spawnFailed, .unreachable, .closed, .protocolError, .sessionExpired:
            return !failure.reachedBackend || harmless
        case .http(let status, _):
            // Reached, the backend (or a proxy before it) said it cannot take the request now.
            if !failure.reachedBackend { return true }
            return harmless && (status == 429 || status == 502 || status == 503 || status == 504)
        }
    }

    /// The pause before attempt `attempt + 1` (attempt 1 was the first call): a random share of
    /// `initial × multiplier^(attempt-1)`, at most `max_backoff` ("full jitter": callers that
    /// failed together spread out instead of returning together).
    static func backoff(after attempt: Int, settings: RetrySettings, random: (ClosedRange<Double>) -> Double) -> Duration {
        let initial = Double(settings.initialBackoff.saturatingNanoseconds)
        let ceiling = min(initial * pow(settings.multiplier, Double(attempt - 1)), Double(settings.maxBackoff.saturatingNanoseconds))
        return .nanoseconds(Int64(random(0...ceiling)))
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var n = Int(exponent)
        while n > 0 { result *= base; n -= 1 }
        return result
    }
}
