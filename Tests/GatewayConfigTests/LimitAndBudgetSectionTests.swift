// `failsafe` (rate_limit, concurrency), a backend's own limits and `cost_governance`: what
// loads, the defaults, and the mistakes each reports with its line.

import Testing
@testable import GatewayConfig

@Suite struct LimitAndBudgetSectionTests {
    private let backends = "backends:\n  fs:\n    command: x\n"

    @Test func failsafeLimitsLoad() throws {
        let result = parse("""
            failsafe:
              rate_limit: {requests_per_second: 20, burst_size: 5}
              concurrency: {max_concurrent: 8, queue: 4, queue_timeout: 250ms}
            backends:
              fs:
                command: x
                rate_limit: {requests_per_second: 0.5}
                max_concurrent: 2
              web:
                command: y
                rate_limit: {enabled: false}
              other:
                command: z
            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let config = try #require(result.config)
        #expect(config.failsafe.rateLimit == BackendRateLimitSettings(requestsPerSecond: 20, burstSize: 5))
        #expect(config.failsafe.concurrency == ConcurrencySettings(maxConcurrent: 8, queue: 4, queueTimeout: .milliseconds(250)))
        let fs = try #require(config.backend(named: "fs"))
        #expect(fs.limits.effectiveRateLimit(config.failsafe) == BackendRateLimitSettings(requestsPerSecond: 0.5, burstSize: 50))
        #expect(fs.limits.effectiveMaxConcurrent(config.failsafe) == 2)
        #expect(config.backend(named: "web")?.limits.effectiveRateLimit(config.failsafe) == nil)
        #expect(config.backend(named: "other")?.limits.effectiveRateLimit(config.failsafe)?.requestsPerSecond == 20)
        #expect(config.backend(named: "other")?.limits.effectiveMaxConcurrent(config.failsafe) == 8)
    }

    @Test func failsafeDefaults() throws {
        let none = try #require(parse(backends).config)
        #expect(none.failsafe == FailsafeSettings())
        #expect(none.failsafe.rateLimit == nil)
        let written = try #require(parse("failsafe:\n  rate_limit: {}\n").config)
        #expect(written.failsafe.rateLimit == BackendRateLimitSettings(requestsPerSecond: 100, burstSize: 50))
        let off = try #require(parse("failsafe:\n  rate_limit: {enabled: false, requests_per_second: 3}\n").config)
        #expect(off.failsafe.rateLimit == nil)
        #expect(off.failsafe.concurrency == ConcurrencySettings(maxConcurrent: nil, queue: 32, queueTimeout: .seconds(10)))
    }

    @Test func failsafeMistakesHaveLines() {
        let result = parse("""
            failsafe:
              rate_limit: {requests_per_second: 0, burst_size: many}
              concurrency: {max_concurrent: 0, queue_timout: 1s}
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == [
            "failsafe.rate_limit.requests_per_second", "failsafe.rate_limit.burst_size",
            "failsafe.concurrency.max_concurrent", "failsafe.concurrency.queue_timout",
        ])
        #expect(result.errors.map(\.line) == [2, 2, 3, 3])
        #expect(result.errorMessages.last == "unknown key 'queue_timout' in 'failsafe.concurrency'; did you mean 'queue_timeout'?")
    }

    @Test func retryAndHealthCheckKeys() {
        let result = parse("""
            failsafe:
              retry: {max_attempts: 4, initial_backoff: 50ms, max_backoff: 2s, multiplier: 3, budget: 0.2}
              health_check: {interval: 2s, timeout: 500ms, failure_threshold: 2}
            """)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.isEmpty)
        #expect(result.config?.failsafe.retry == RetrySettings(maxAttempts: 4, initialBackoff: .milliseconds(50),
                                                               maxBackoff: .seconds(2), multiplier: 3, budget: 0.2))
        #expect(result.config?.failsafe.healthCheck == HealthCheckSettings(interval: .seconds(2), timeout: .milliseconds(500),
                                                                           failureThreshold: 2))
    }

    /// Written at all, a section is on with the reference's defaults; `enabled: false` is off.
    @Test func retryAndHealthCheckDefaultsAndOff() {
        let on = parse("failsafe:\n  retry: {}\n  health_check: {enabled: true}\n")
        #expect(on.config?.failsafe.retry == RetrySettings())
        #expect(on.config?.failsafe.healthCheck == HealthCheckSettings())
        let off = parse("failsafe:\n  retry: {enabled: false}\n  health_check: {enabled: false}\n")
        #expect(off.config?.failsafe.retry == nil)
        #expect(off.config?.failsafe.healthCheck == nil)
        #expect(parse("failsafe: {}").config?.failsafe.retry == nil)
    }

    @Test func badRetryAndHealthCheckValuesAreErrorsAtTheirLine() {
        let result = parse("""
            failsafe:
              retry: {max_attempts: 0, multiplier: 0.5, budget: 2}
              health_check:
                interval: 10ms
                failure_threshold: 0
                timeout: forever
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == [
            "failsafe.retry.max_attempts", "failsafe.retry.multiplier", "failsafe.retry.budget",
            "failsafe.health_check.interval", "failsafe.health_check.failure_threshold", "failsafe.health_check.timeout",
        ])
        #expect(result.errors.map(\.line) == [2, 2, 2, 4, 5, 6])
    }

    @Test func circuitBreakerKeys() {
        let result = parse("""
            failsafe:
              circuit_breaker: {failure_threshold: 2, success_threshold: 1, reset_timeout: 500ms, error_rate: 0.5, window: 10s, minimum_calls: 4}
            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.config?.failsafe.circuitBreaker == CircuitBreakerSettings(
            failureThreshold: 2, successThreshold: 1, resetTimeout: .milliseconds(500), errorRate: 0.5, window: .seconds(10), minimumCalls: 4))
        #expect(parse("failsafe:\n  circuit_breaker: {enabled: false, failure_threshold: 2}\n").config?.failsafe.circuitBreaker == nil)
        let bad = parse("failsafe:\n  circuit_breaker: {failure_threshold: 0, error_rate: 1.5, reset_timeout: 2d, windw: 1s}\n")
        #expect(bad.config == nil)
        #expect(bad.errors.map(\.path) == ["failsafe.circuit_breaker.failure_threshold", "failsafe.circuit_breaker.error_rate",
                                           "failsafe.circuit_breaker.reset_timeout", "failsafe.circuit_breaker.windw"])
        #expect(bad.errors.allSatisfy { $0.line == 2 })
    }

    @Test func costGovernanceLoads() throws {
        let result = parse(backends + """
            cost_governance:
              enabled: true
              currency: EUR
              default_cost: 0.01
              tool_costs: {"fs:write_*": 0.5, search: 0.1}
              budgets:
                daily: 10
                monthly: 100
                per_tool: {"fs:*": {daily: 3}}
                per_key: {ci: {daily: 1, monthly: 20}}
              alerts:
                - {at_percent: 90, action: block}
                - {at_percent: 50, action: notify}
            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let config = try #require(result.config)
        let settings = try #require(config.costGovernance)
        #expect(settings.currency == "EUR")
        #expect(settings.defaultCost == 0.01)
        #expect(settings.toolCosts.map(\.glob) == ["fs:write_*", "search"])
        #expect(settings.toolCosts.map(\.cost) == [0.5, 0.1])
        #expect(settings.principalBudget == .init(daily: 10, monthly: 100))
        #expect(settings.perTool.map(\.glob) == ["fs:*"])
        #expect(settings.perTool[0].budget == .init(daily: 3))
        #expect(settings.perPrincipal["ci"] == .init(daily: 1, monthly: 20))
        // Sorted by threshold.
        #expect(settings.alerts == [.init(atPercent: 50, action: .notify), .init(atPercent: 90, action: .block)])
    }

    @Test func costGovernanceReferenceShapeAndDefaults() throws {
        // The reference's defaults, as its docs write them: off, and `alternatives` only warned about.
        let off = parse("""
            cost_governance: {enabled: false, currency: USD, default_cost: 0.0, tool_costs: {}, alternatives: null,
                              budgets: {daily: null, per_tool: {}, per_key: {}},
                              alerts: [{at_percent: 50, action: log}, {at_percent: 80, action: notify}, {at_percent: 100, action: block}]}
            """)
        #expect(off.errors.isEmpty, "\(off.errors)")
        #expect(off.config?.costGovernance == nil)
        let on = try #require(parse("cost_governance:\n  budgets: {daily: 5}\n").config?.costGovernance)
        #expect(on.alerts == CostGovernanceSettings.defaultAlerts)
        #expect(on.defaultCost == 0)
        #expect(on.currency == "USD")
    }

    @Test func costGovernanceMistakesHaveLines() {
        let result = parse("""
            cost_governance:
              default_cost: -1
              budgets: {dayly: 3}
              alerts:
                - {at_percent: 80, action: email}
                - {action: log}
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == [
            "cost_governance.default_cost", "cost_governance.budgets.dayly",
            "cost_governance.alerts[0].action", "cost_governance.alerts[1]",
        ])
        #expect(result.errors.map(\.line) == [2, 3, 5, 6])
        #expect(result.errorMessages[1] == "unknown key 'dayly' in 'cost_governance.budgets'; did you mean 'daily'?")
    }
}
