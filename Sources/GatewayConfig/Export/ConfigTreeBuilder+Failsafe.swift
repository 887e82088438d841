// The export tree's `failsafe:` section. Each of its optional parts is off when nil, written
// `{enabled: false}`; written at all, a part is on with every key filled in.

import MCPProtocol

extension ConfigTreeBuilder {
    func failsafe(_ settings: FailsafeSettings) -> JSONValue {
        .object(JSONObject([
            ("rate_limit", settings.rateLimit.map(rateLimit) ?? Self.switchedOff),
            ("concurrency", concurrency(settings.concurrency)),
            ("circuit_breaker", settings.circuitBreaker.map(circuitBreaker) ?? Self.switchedOff),
            ("retry", settings.retry.map(retry) ?? Self.switchedOff),
            ("health_check", settings.healthCheck.map(healthCheck) ?? Self.switchedOff),
        ]))
    }

    private func concurrency(_ settings: ConcurrencySettings) -> JSONValue {
        .object(JSONObject([
            ("max_concurrent", optional(settings.maxConcurrent, count)),
            ("queue", count(settings.queue)),
            ("queue_timeout", duration(settings.queueTimeout)),
        ]))
    }

    private func circuitBreaker(_ settings: CircuitBreakerSettings) -> JSONValue {
        .object(JSONObject([
            ("enabled", .bool(true)),
            ("failure_threshold", count(settings.failureThreshold)),
            ("success_threshold", count(settings.successThreshold)),
            ("reset_timeout", duration(settings.resetTimeout)),
            ("error_rate", optional(settings.errorRate, number)),
            ("window", duration(settings.window)),
            ("minimum_calls", count(settings.minimumCalls)),
        ]))
    }

    private func retry(_ settings: RetrySettings) -> JSONValue {
        .object(JSONObject([
            ("enabled", .bool(true)),
            ("max_attempts", count(settings.maxAttempts)),
            ("initial_backoff", duration(settings.initialBackoff)),
            ("max_backoff", duration(settings.maxBackoff)),
            ("multiplier", number(settings.multiplier)),
            ("budget", number(settings.budget)),
        ]))
    }

    private func healthCheck(_ settings: HealthCheckSettings) -> JSONValue {
        .object(JSONObject([
            ("enabled", .bool(true)),
            ("interval", duration(settings.interval)),
            ("timeout", duration(settings.timeout)),
            ("failure_threshold", count(settings.failureThreshold)),
        ]))
    }
}
