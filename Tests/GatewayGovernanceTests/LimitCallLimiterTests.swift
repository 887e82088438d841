// The call limiter as the pipeline uses it: limits per principal (strictest block wins),
// per tool glob and per backend, refusals naming the limit with retryAfterMs, separate
// principals limited separately, and state kept across a config reload.

import GatewayAuth
import GatewayConfig
import GatewayGovernance
import MCPProtocol
import Testing

@Suite struct LimitCallLimiterTests {
    private func principal(_ name: String, method: Principal.Method = .apiKey, groups: [String] = []) -> Principal {
        Principal(name: name, method: method, groups: groups, isAdmin: false)
    }

    private func config(keys: [(String, PrincipalRuleSettings)], groups: [String: PrincipalRuleSettings] = [:]) -> GatewayConfig {
        var config = GatewayConfig(backends: [BackendSettings(name: "fs", transport: .stdio(command: ["x"]))])
        config.auth.apiKeys = keys.map { APIKeySettings(name: $0.0, key: "k-\($0.0)-0123456789abcdef", rules: $0.1) }
        config.policies.groups = groups
        return config
    }

    private func refusal(_ admission: CallLimiter.Admission) -> GovernanceRefusal? {
        if case .refused(let refusal) = admission { return refusal }
        return nil
    }

    private func admitted(_ admission: CallLimiter.Admission) -> Bool {
        if case .admitted(let permit) = admission {
            permit.release()
            return true
        }
        return false
    }

    @Test func principalRateLimitRefusesTheNextCallWithItsName() async throws {
        let time = ManualClock()
        let limiter = CallLimiter(config: config(keys: [("ci", PrincipalRuleSettings(rateLimitPerMinute: 3))]), clock: time.clock)
        for _ in 0..<3 { #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "read"))) }
        let refused = try #require(refusal(await limiter.admit(principal: principal("ci"), server: "fs", tool: "read")))
        #expect(refused.reason == .limited(limit: "rate_limit", retryAfterMs: 20_000))
        #expect(refused.error.code == GovernanceErrorCode.limited)
        #expect(refused.error.message == "rate limit of key 'ci' (3/min) reached; retry in 20000 ms")
        #expect(refused.error.data?["retryAfterMs"] == .int(20_000))
        #expect(refused.error.data?["limit"] == .string("rate_limit"))
        // Another key is limited separately; one without a limit is not limited.
        time.advance(milliseconds: 20_000)
        #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "read")))
        #expect(!admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "read")))
        for _ in 0..<10 { #expect(admitted(await limiter.admit(principal: principal("other"), server: "fs", tool: "read"))) }
    }

    @Test func strictestBlockWins() async {
        let time = ManualClock()
        let limiter = CallLimiter(config: config(keys: [("ci", PrincipalRuleSettings(rateLimitPerMinute: 100))],
                                                 groups: ["slow": PrincipalRuleSettings(rateLimitPerMinute: 2)]),
                                  clock: time.clock)
        // The API key alone does not see the group (API keys carry no groups): 100/min. An
        // OAuth principal in the group named ci gets the group's 2/min.
        let member = principal("ci", method: .oauth, groups: ["slow"])
        #expect(admitted(await limiter.admit(principal: member, server: "fs", tool: "t")))
        #expect(admitted(await limiter.admit(principal: member, server: "fs", tool: "t")))
        #expect(refusal(await limiter.admit(principal: member, server: "fs", tool: "t"))?.error.message
            == "rate limit of principal 'ci' (2/min) reached; retry in 30000 ms")
        let blocks = [PrincipalRuleSettings(rateLimitPerMinute: 10, toolRateLimits: [.init(tool: "fs:*", rate: 5, burst: 5)], maxConcurrent: 8),
                      PrincipalRuleSettings(rateLimitPerMinute: 60, toolRateLimits: [.init(tool: "fs:*", rate: 1, burst: 9)], maxConcurrent: 2)]
        let merged = PrincipalLimits(blocks: blocks)
        #expect(merged.requestsPerMinute == 10)
        #expect(merged.maxConcurrent == 2)
        #expect(merged.toolBuckets.count == 1)
        #expect(merged.toolBuckets[0].ratePerSecond == 1)
        #expect(merged.toolBuckets[0].burst == 5)
    }

    @Test func toolBucketsApplyToMatchingToolsOnly() async throws {
        let time = ManualClock()
        let rules = PrincipalRuleSettings(toolRateLimits: [.init(tool: "fs:write_*", rate: 2, burst: 1), .init(tool: "search", rate: 1, burst: 2)])
        let limiter = CallLimiter(config: config(keys: [("ci", rules)]), clock: time.clock)
        let ci = principal("ci")
        #expect(admitted(await limiter.admit(principal: ci, server: "fs", tool: "write_file")))
        let refused = try #require(refusal(await limiter.admit(principal: ci, server: "fs", tool: "write_dir")))
        #expect(refused.error.message == "tool rate limit 'fs:write_*' of key 'ci' (2/s, burst 1) reached; retry in 500 ms")
        #expect(refused.reason == .limited(limit: "tool_rate_limits", retryAfterMs: 500))
        // Other tools, and the same tool name on another server, are not in that bucket.
        #expect(admitted(await limiter.admit(principal: ci, server: "fs", tool: "read_file")))
        #expect(admitted(await limiter.admit(principal: ci, server: "web", tool: "write_file")))
        // A bare glob matches the tool on any server; its burst is 2.
        #expect(admitted(await limiter.admit(principal: ci, server: "a", tool: "search")))
        #expect(admitted(await limiter.admit(principal: ci, server: "b", tool: "search")))
        #expect(!admitted(await limiter.admit(principal: ci, server: "c", tool: "search")))
        time.advance(milliseconds: 500)
        #expect(admitted(await limiter.admit(principal: ci, server: "fs", tool: "write_file")))
    }

    @Test func backendRateLimitIsPerBackend() async throws {
        let time = ManualClock()
        var config = GatewayConfig(backends: [BackendSettings(name: "a", transport: .stdio(command: ["x"])),
                                              BackendSettings(name: "b", transport: .stdio(command: ["y"]),
                                                              limits: BackendLimitSettings(rateLimit: .init(requestsPerSecond: 10, burstSize: 1)))])
        config.failsafe.rateLimit = BackendRateLimitSettings(requestsPerSecond: 1, burstSize: 2)
        #expect(CallLimiter.isNeeded(config))
        let limiter = CallLimiter(config: config, clock: time.clock)
        let anyone = Principal.unauthenticated
        #expect(admitted(await limiter.admit(principal: anyone, server: "a", tool: "t")))
        #expect(admitted(await limiter.admit(principal: anyone, server: "a", tool: nil)))
        let refused = try #require(refusal(await limiter.admit(principal: anyone, server: "a", tool: "t")))
        #expect(refused.error.message == "rate limit of backend 'a' (1/s, burst 2) reached; retry in 1000 ms")
        #expect(refused.reason == .limited(limit: "backend_rate_limit", retryAfterMs: 1000))
        // b has its own bucket and its own settings.
        #expect(admitted(await limiter.admit(principal: anyone, server: "b", tool: "t")))
        #expect(refusal(await limiter.admit(principal: anyone, server: "b", tool: "t"))?.reason
            == .limited(limit: "backend_rate_limit", retryAfterMs: 100))
    }

    @Test func principalConcurrencyQueuesThenTimesOut() async throws {
        var config = config(keys: [("ci", PrincipalRuleSettings(maxConcurrent: 1))])
        config.failsafe.concurrency = ConcurrencySettings(queue: 1, queueTimeout: .milliseconds(40))
        let limiter = CallLimiter(config: config)
        guard case .admitted(let first) = await limiter.admit(principal: principal("ci"), server: "fs", tool: "t") else {
            Issue.record("the first call should be admitted")
            return
        }
        // Another key is not held up.
        #expect(admitted(await limiter.admit(principal: principal("other"), server: "fs", tool: "t")))
        let refused = try #require(refusal(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t")))
        #expect(refused.reason == .limited(limit: "max_concurrent", retryAfterMs: 40))
        #expect(refused.error.message
            == "concurrency limit of key 'ci' (1 in flight) reached: no slot within the queue timeout of 40 ms; retry in 40 ms")
        first.release()
        #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t")))
    }

    @Test func backendConcurrencyRefusesPastTheQueue() async throws {
        var config = GatewayConfig(backends: [BackendSettings(name: "a", transport: .stdio(command: ["x"]),
                                                              limits: BackendLimitSettings(maxConcurrent: 1))])
        config.failsafe.concurrency = ConcurrencySettings(queue: 0, queueTimeout: .seconds(5))
        let limiter = CallLimiter(config: config)
        guard case .admitted(let first) = await limiter.admit(principal: .unauthenticated, server: "a", tool: "t") else {
            Issue.record("the first call should be admitted")
            return
        }
        let refused = try #require(refusal(await limiter.admit(principal: .unauthenticated, server: "a", tool: "t")))
        #expect(refused.reason == .limited(limit: "backend_max_concurrent", retryAfterMs: 1000))
        #expect(refused.error.message.hasPrefix("concurrency limit of backend 'a' (1 in flight) reached and its queue is full"))
        first.release()
        #expect(admitted(await limiter.admit(principal: .unauthenticated, server: "a", tool: "t")))
    }

    @Test func reloadKeepsCountersAndTakesNewLimits() async {
        let time = ManualClock()
        let limiter = CallLimiter(config: config(keys: [("ci", PrincipalRuleSettings(rateLimitPerMinute: 2))]), clock: time.clock)
        #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t")))
        #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t")))
        // A reload raising the limit: what was spent stays spent, the new capacity refills.
        limiter.update(config: config(keys: [("ci", PrincipalRuleSettings(rateLimitPerMinute: 60))]))
        #expect(!admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t")))
        time.advance(milliseconds: 1000)
        #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t")))
        // A reload removing every limit: calls pass.
        limiter.update(config: config(keys: [("ci", PrincipalRuleSettings())]))
        for _ in 0..<5 { #expect(admitted(await limiter.admit(principal: principal("ci"), server: "fs", tool: "t"))) }
    }

    @Test func noLimitsMeansNoStage() {
        #expect(!CallLimiter.isNeeded(GatewayConfig()))
        #expect(!CallLimiter.isNeeded(config(keys: [("ci", PrincipalRuleSettings(routingProfile: nil))])))
        #expect(CallLimiter.isNeeded(config(keys: [("ci", PrincipalRuleSettings(maxConcurrent: 2))])))
    }
}
