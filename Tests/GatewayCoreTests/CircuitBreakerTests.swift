// The circuit breaker (issue 17) over a clock the test moves, and its pipeline stage over a
// scripted terminal: transitions, exactly one half-open probe, the error rate over a window,
// what counts as a failure (timeouts and transport failures; never an answer), the refusal's
// code and message, and a breaker per capability tool.

import Foundation
@testable import GatewayCore
import GatewayAuth
import GatewayBackends
import GatewayConfig
import GatewayGovernance
import MCPProtocol
import Synchronization
import Testing

final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}

@Suite struct CircuitBreakerTests {
    let clock = ManualClock()

    func breaker(_ settings: CircuitBreakerSettings = CircuitBreakerSettings(failureThreshold: 3, successThreshold: 2,
                                                                               resetTimeout: .seconds(10))) -> CircuitBreaker {
        CircuitBreaker(settings: settings, origin: clock.now)
    }

    @Test func consecutiveFailuresOpenItAndOneProbeAtATimeClosesIt() {
        var b = breaker()
        for _ in 0..<2 { b.record(.failure("timeout"), probe: false, now: clock.now) }
        #expect(b.state == .closed)
        b.record(.success, probe: false, now: clock.now)
        // A success in between starts the count again.
        for _ in 0..<2 { b.record(.failure("timeout"), probe: false, now: clock.now) }
        #expect(b.state == .closed)
        b.record(.failure("closed"), probe: false, now: clock.now)
        #expect(b.state.name == "open")
        #expect(b.lastFailure == "3 failures in a row (last: closed)")
        clock.advance(.seconds(4))
        #expect(b.admit(now: clock.now) == .refuse(retryAfterMs: 6000))
        clock.advance(.seconds(6))
        #expect(b.admit(now: clock.now) == .probe)
        // Exactly one probe: the next caller waits for its verdict.
        #expect(b.admit(now: clock.now) == .refuse(retryAfterMs: 1000))
        b.record(.success, probe: true, now: clock.now)
        #expect(b.state == .halfOpen(probing: false, successes: 1))
        #expect(b.admit(now: clock.now) == .probe)
        b.record(.success, probe: true, now: clock.now)
        #expect(b.state == .closed)
        #expect(b.admit(now: clock.now) == .call)
    }

    @Test func aFailedProbeOpensItAgainAndARefusedProbeFreesTheSlot() {
        var b = breaker()
        for _ in 0..<3 { b.record(.failure("timeout"), probe: false, now: clock.now) }
        clock.advance(.seconds(10))
        #expect(b.admit(now: clock.now) == .probe)
        b.record(.neither, probe: true, now: clock.now)  // refused by a limit: no verdict
        #expect(b.admit(now: clock.now) == .probe)
        b.record(.failure("timeout"), probe: true, now: clock.now)
        #expect(b.state.name == "open")
        #expect(b.opened == 2)
        // Calls admitted before it opened say nothing more.
        b.record(.success, probe: false, now: clock.now)
        #expect(b.state.name == "open")
    }

    @Test func anErrorRateOverTheWindowOpensIt() {
        var b = breaker(CircuitBreakerSettings(failureThreshold: 100, successThreshold: 1, resetTimeout: .seconds(5),
                                               errorRate: 0.5, window: .seconds(10), minimumCalls: 10))
        // Alternating: never two failures in a row, half of the calls failing.
        for i in 0..<9 {
            b.record(i % 2 == 0 ? .failure("http") : .success, probe: false, now: clock.now)
            clock.advance(.milliseconds(100))
        }
        #expect(b.state == .closed)  // fewer than minimum_calls
        b.record(.success, probe: false, now: clock.now)
        b.record(.failure("http"), probe: false, now: clock.now)
        #expect(b.state.name == "open")
        #expect(b.lastFailure?.hasPrefix("6 of its last 11 calls failing") == true)
    }

    @Test func oldCallsLeaveTheWindow() {
        var b = breaker(CircuitBreakerSettings(failureThreshold: 100, successThreshold: 1, resetTimeout: .seconds(5),
                                               errorRate: 0.5, window: .seconds(10), minimumCalls: 4))
        for _ in 0..<3 { b.record(.failure("http"), probe: false, now: clock.now) }
        clock.advance(.seconds(20))
        for _ in 0..<4 { b.record(.success, probe: false, now: clock.now) }
        b.record(.failure("http"), probe: false, now: clock.now)
        #expect(b.state == .closed)  // 1 of 5 in the window, not 4 of 8
    }

    // MARK: The stage

    static let principal = Principal(name: "alice", method: .apiKey, isAdmin: false)

    func pipeline(_ breakers: CircuitBreakers, capabilityServer: String? = nil,
                  answer: @escaping @Sendable (BackendCall) -> CallOutcome) -> CallPipeline {
        CallPipeline(stages: [CircuitBreakerStage(breakers: breakers, capabilityServer: capabilityServer)]) { answer($0) }
    }

    func call(_ server: String = "search", tool: String = "find") -> BackendCall {
        BackendCall(server: server, tool: tool, principal: Self.principal, arguments: Array("{}".utf8))
    }

    @Test func answersNeverCountAndTimeoutsDo() async {
        let clock = clock
        let breakers = CircuitBreakers(settings: CircuitBreakerSettings(failureThreshold: 2, successThreshold: 1, resetTimeout: .seconds(30)),
                                       clock: { clock.now })
        let answers = Mutex<[CallOutcome]>([
            .backendError(JSONRPCErrorObject(code: -32602, message: "bad params")),
            .result(RawJSON(string: #"{"content":[],"isError":true}"#)),
            .failure(.remote(JSONRPCErrorObject(code: -32000, message: "tool failed"))),
            .failure(.timeout(seconds: 5)),
            .failure(.closed("backend exited (secret=abc)")),
        ])
        let p = pipeline(breakers) { _ in answers.withLock { $0.removeFirst() } }
        for _ in 0..<5 { _ = await p.run(call()) }
        #expect(breakers.stateName(of: "search") == "open")
        guard case .refused(let refusal) = await p.run(call()) else {
            Issue.record("an open breaker lets calls through")
            return
        }
        #expect(refusal.error.code == GovernanceErrorCode.circuitOpen)
        #expect(refusal.error.message == "Backend 'search' is out of service after 2 failures in a row (last: closed) (circuit breaker open); it is tried again in 30000 ms")
        #expect(refusal.error.data?["retryAfterMs"]?.intValue == 30000)
        #expect(refusal.outcomeName == "circuit_open")
        // The backend's own words (here a secret) never reach the message.
        #expect(!refusal.error.message.contains("secret"))
        // Another backend is not affected.
        #expect(breakers.stateName(of: "other") == "closed")
    }

    @Test func eachCapabilityToolHasItsOwnBreaker() async {
        let breakers = CircuitBreakers(settings: CircuitBreakerSettings(failureThreshold: 1, successThreshold: 1, resetTimeout: .seconds(30)))
        let p = pipeline(breakers, capabilityServer: "capabilities") { call in
            call.tool == "weather" ? .failure(.http(status: 502, detail: "bad gateway")) : .result(RawJSON(string: "{}"))
        }
        _ = await p.run(call("capabilities", tool: "weather"))
        guard case .refused = await p.run(call("capabilities", tool: "weather")) else {
            Issue.record("the failing API's breaker is closed")
            return
        }
        guard case .result = await p.run(call("capabilities", tool: "stocks")) else {
            Issue.record("one failing API took the others out")
            return
        }
        #expect(breakers.report()["capabilities:weather"]?.state == "open")
    }

    @Test func reloadingWithoutTheSectionForgetsTheBreakers() async {
        let breakers = CircuitBreakers(settings: CircuitBreakerSettings(failureThreshold: 1, successThreshold: 1, resetTimeout: .seconds(30)))
        let p = pipeline(breakers) { _ in .failure(.timeout(seconds: 1)) }
        _ = await p.run(call())
        #expect(breakers.stateName(of: "search") == "open")
        breakers.update(settings: nil)
        #expect(!breakers.isEnabled && breakers.report().isEmpty)
        guard case .failure = await p.run(call()) else {
            Issue.record("a breaker outlived its section")
            return
        }
    }
}
