// Reads `failsafe:` (`rate_limit`, `concurrency`, `circuit_breaker`, `retry`, `health_check`) and a backend's own
// `rate_limit` and `max_concurrent`. Every number is range-checked here, so a limit that
// would disable itself or overflow later arithmetic fails the load with its line.

import Yams

extension ConfigDecoder {
    mutating func failsafeSettings(_ node: Node, path: String) -> FailsafeSettings {
        var settings = FailsafeSettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.failsafe, path: path) else { return settings }
        for entry in entries {
            switch entry.key {
            case "rate_limit": settings.rateLimit = backendRateLimit(entry.value, path: entry.path, section: ConfigSchema.failsafeRateLimit)
            case "concurrency": settings.concurrency = concurrencySettings(entry.value, path: entry.path)
            case "circuit_breaker": settings.circuitBreaker = circuitBreakerSettings(entry.value, path: entry.path)
            case "retry": settings.retry = retrySettings(entry.value, path: entry.path)
            case "health_check": settings.healthCheck = healthCheckSettings(entry.value, path: entry.path)
            default: break
            }
        }
        return settings
    }

    /// `{enabled, requests_per_second, burst_size}`; nil when switched off. Written at all, it
    /// is on, with the reference's defaults for the keys left out.
    mutating func backendRateLimit(_ node: Node, path: String, section: ConfigSection) -> BackendRateLimitSettings? {
        guard let entries = supportedEntries(of: node, section: section, path: path) else { return nil }
        var settings = BackendRateLimitSettings()
        var enabled = true
        for entry in entries {
            switch entry.key {
            case "enabled": enabled = bool(entry.value, path: entry.path) ?? true
            case "requests_per_second":
                if let rate = positiveNumber(entry.value, path: entry.path, max: 1_000_000) { settings.requestsPerSecond = rate }
            case "burst_size":
                if let burst = count(entry.value, path: entry.path, in: 1...1_000_000) { settings.burstSize = burst }
            default: break
            }
        }
        return enabled ? settings : nil
    }

    /// `{enabled, failure_threshold, success_threshold, reset_timeout, error_rate, window,
    /// minimum_calls}`; nil when switched off. Written at all, it is on, with the reference's
    /// defaults (5, 3, 30s) for the keys left out.
    private mutating func circuitBreakerSettings(_ node: Node, path: String) -> CircuitBreakerSettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.circuitBreaker, path: path) else { return nil }
        var settings = CircuitBreakerSettings()
        var enabled = true
        for entry in entries {
            switch entry.key {
            case "enabled": enabled = bool(entry.value, path: entry.path) ?? true
            case "failure_threshold":
                if let n = count(entry.value, path: entry.path, in: 1...10_000) { settings.failureThreshold = n }
            case "success_threshold":
                if let n = count(entry.value, path: entry.path, in: 1...10_000) { settings.successThreshold = n }
            case "reset_timeout":
                if let timeout = boundedDuration(entry.value, path: entry.path, in: .milliseconds(10)...(.seconds(3600)), shown: "10ms to 1h") {
                    settings.resetTimeout = timeout
                }
            case "error_rate":
                if let rate = positiveNumber(entry.value, path: entry.path, max: 1) { settings.errorRate = rate }
            case "window":
                if let window = boundedDuration(entry.value, path: entry.path, in: .seconds(1)...(.seconds(3600)), shown: "1s to 1h") {
                    settings.window = window
                }
            case "minimum_calls":
                if let n = count(entry.value, path: entry.path, in: 1...1_000_000) { settings.minimumCalls = n }
            default: break
            }
        }
        return enabled ? settings : nil
    }

    /// `{enabled, max_attempts, initial_backoff, max_backoff, multiplier, budget}`; nil when
    /// switched off. Written at all, it is on, with the reference's defaults (3 attempts, 100 ms
    /// doubling up to 10 s) and a budget of 10% of a backend's calls.
    private mutating func retrySettings(_ node: Node, path: String) -> RetrySettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.retry, path: path) else { return nil }
        var settings = RetrySettings()
        var enabled = true
        for entry in entries {
            switch entry.key {
            case "enabled": enabled = bool(entry.value, path: entry.path) ?? true
            case "max_attempts":
                if let n = count(entry.value, path: entry.path, in: 1...10) { settings.maxAttempts = n }
            case "initial_backoff":
                if let d = boundedDuration(entry.value, path: entry.path, in: .milliseconds(1)...(.seconds(60)), shown: "1ms to 60s") {
                    settings.initialBackoff = d
                }
            case "max_backoff":
                if let d = boundedDuration(entry.value, path: entry.path, in: .milliseconds(1)...(.seconds(300)), shown: "1ms to 5m") {
                    settings.maxBackoff = d
                }
            case "multiplier":
                if let m = positiveNumber(entry.value, path: entry.path, max: 10) {
                    if m < 1 {
                        error("expected a number from 1 to 10 for '\(entry.path)' (each backoff at least as long as the one before), found \(m)",
                              at: entry.value.mark, path: entry.path)
                    } else {
                        settings.multiplier = m
                    }
                }
            case "budget":
                if let b = nonNegativeNumber(entry.value, path: entry.path, max: 1) { settings.budget = b }
            default: break
            }
        }
        if settings.maxBackoff < settings.initialBackoff { settings.maxBackoff = settings.initialBackoff }
        return enabled ? settings : nil
    }

    /// `{enabled, interval, timeout, failure_threshold}`; nil when switched off. The reference's
    /// defaults: a ping every 10 s, 5 s to answer; 3 missed in a row restart the backend.
    private mutating func healthCheckSettings(_ node: Node, path: String) -> HealthCheckSettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.healthCheck, path: path) else { return nil }
        var settings = HealthCheckSettings()
        var enabled = true
        for entry in entries {
            switch entry.key {
            case "enabled": enabled = bool(entry.value, path: entry.path) ?? true
            case "interval":
                if let d = boundedDuration(entry.value, path: entry.path, in: .milliseconds(100)...(.seconds(3600)), shown: "100ms to 1h") {
                    settings.interval = d
                }
            case "timeout":
                if let d = boundedDuration(entry.value, path: entry.path, in: .milliseconds(10)...(.seconds(300)), shown: "10ms to 5m") {
                    settings.timeout = d
                }
            case "failure_threshold":
                if let n = count(entry.value, path: entry.path, in: 1...100) { settings.failureThreshold = n }
            default: break
            }
        }
        return enabled ? settings : nil
    }

    private mutating func concurrencySettings(_ node: Node, path: String) -> ConcurrencySettings {
        var settings = ConcurrencySettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.concurrency, path: path) else { return settings }
        for entry in entries {
            switch entry.key {
            case "max_concurrent": settings.maxConcurrent = count(entry.value, path: entry.path, in: 1...100_000)
            case "queue":
                if let queue = count(entry.value, path: entry.path, in: 0...100_000) { settings.queue = queue }
            case "queue_timeout":
                if let timeout = boundedDuration(entry.value, path: entry.path, in: .milliseconds(1)...(.seconds(3600)), shown: "1ms to 1h") {
                    settings.queueTimeout = timeout
                }
            default: break
            }
        }
        return settings
    }

    /// A number greater than zero and at most `max` (`2`, `0.5`).
    mutating func positiveNumber(_ node: Node, path: String, max: Double) -> Double? {
        let expected = "a number greater than 0 and at most \(Int(max))"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        guard let value = Double(text.trimmingBlanks()), value.isFinite, value > 0, value <= max else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return value
    }

    /// A number from 0 to `max` (an amount of money, a percentage).
    mutating func nonNegativeNumber(_ node: Node, path: String, max: Double) -> Double? {
        let expected = "a number from 0 to \(Int(max))"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        guard let value = Double(text.trimmingBlanks()), value.isFinite, value >= 0, value <= max else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return value
    }
}
