// Which failures are retried for which operations, the backoff's bounds, and the retry
// budget's arithmetic.

import GatewayBackends
import GatewayConfig
@testable import GatewayCore
import MCPProtocol
import Testing

@Suite struct RetryRulesTests {
    @Test func harmlessOperations() {
        #expect(RetryRules.isHarmless(.resourceRead(uri: "file:///a")))
        #expect(RetryRules.isHarmless(.prompt("greet")))
        for method in ["tools/list", "resources/list", "resources/templates/list", "prompts/list", "ping"] {
            #expect(RetryRules.isHarmless(.relayed(method: method)))
        }
        #expect(!RetryRules.isHarmless(.tool("send_mail")))
        #expect(!RetryRules.isHarmless(.relayed(method: "completion/complete")))
        #expect(!RetryRules.isHarmless(.resourceSubscription(uri: "file:///a", subscribe: true)))
    }

    /// What the backend cannot have received is retried for any operation; what it may have
    /// received only where a second run is harmless; an answer, a cancel and a timed-out
    /// request never.
    @Test func failuresByWhetherTheBackendGotThem() {
        let unsent: [BackendError] = [.spawnFailed("x"), .unreachable("refused"), .closed("x"), .timeout(seconds: 5),
                                      .http(status: 500, detail: "")]
        for error in unsent {
            #expect(RetryRules.allows(BackendAttemptFailure(error, reachedBackend: false), harmless: false), "\(error)")
        }
        let transient: [BackendError] = [.closed("crash"), .unreachable("reset"), .protocolError("garbage"),
                                         .http(status: 503, detail: ""), .http(status: 502, detail: ""),
                                         .http(status: 504, detail: ""), .http(status: 429, detail: "")]
        for error in transient {
            #expect(RetryRules.allows(BackendAttemptFailure(error, reachedBackend: true), harmless: true), "\(error)")
            #expect(!RetryRules.allows(BackendAttemptFailure(error, reachedBackend: true), harmless: false), "\(error)")
        }
        let final: [BackendError] = [.timeout(seconds: 5), .remote(JSONRPCErrorObject(code: -32602, message: "bad")), .cancelled, .disabled,
                                     .http(status: 400, detail: ""), .http(status: 500, detail: "")]
        for error in final {
            #expect(!RetryRules.allows(BackendAttemptFailure(error, reachedBackend: true), harmless: true), "\(error)")
        }
        #expect(!RetryRules.allows(BackendAttemptFailure(.cancelled, reachedBackend: false), harmless: true))
        #expect(!RetryRules.allows(BackendAttemptFailure(.disabled, reachedBackend: false), harmless: true))
    }

    /// Full jitter: anywhere from zero to initial × multiplier^(n-1), never above max_backoff.
    @Test func backoffGrowsAndIsCapped() {
        let settings = RetrySettings(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300), multiplier: 2)
        let top: (ClosedRange<Double>) -> Double = { $0.upperBound }
        #expect(RetryRules.backoff(after: 1, settings: settings, random: top) == .milliseconds(100))
        #expect(RetryRules.backoff(after: 2, settings: settings, random: top) == .milliseconds(200))
        #expect(RetryRules.backoff(after: 3, settings: settings, random: top) == .milliseconds(300))
        #expect(RetryRules.backoff(after: 4, settings: settings, random: top) == .milliseconds(300))
        #expect(RetryRules.backoff(after: 2, settings: settings, random: { $0.lowerBound }) == .zero)
        for _ in 0..<100 {
            let pause = RetryRules.backoff(after: 2, settings: settings, random: Double.random(in:))
            #expect(pause >= .zero && pause <= .milliseconds(200))
        }
    }

    /// One retry to start with, a tenth of one per call, at most ten saved.
    @Test func retryBudget() {
        let budget = RetryBudget()
        #expect(budget.available == 1)
        #expect(budget.spend())
        #expect(!budget.spend())
        for _ in 0..<9 { budget.earn(0.1) }
        #expect(!budget.spend())
        budget.earn(0.1)
        #expect(budget.spend())
        for _ in 0..<1000 { budget.earn(0.1) }
        #expect(budget.available == 10)
        budget.earn(0)
        #expect(budget.available == 10)
    }
}
