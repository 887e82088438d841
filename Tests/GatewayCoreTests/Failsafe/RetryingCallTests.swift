// The pipeline's last step over scripted backends: which failed calls are sent again (a crash
// during an idempotent tool, a start that failed before anything was sent, a harmless read),
// which are not (a tool with side effects the backend received, a timed-out call), the retry
// budget, the deadline, and per-tool timeouts.

import GatewayAuth
import GatewayBackends
import GatewayConfig
@testable import GatewayCore
import MCPProtocol
import Synchronization
import Testing

@Suite struct RetryingCallTests {
    static let principal = Principal(name: "alice", method: .apiKey, isAdmin: false)
    static let quickRetries = RetrySettings(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))

    static func stage(_ scripted: ScriptedBackend, retry: RetrySettings? = quickRetries,
                      jitter: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> BackendCallStage {
        BackendCallStage(pool: BackendPool(backends: [scripted.backend], cacheTTL: .seconds(3600)), retry: retry,
                         backends: [scripted.backend.settings], jitter: jitter)
    }

    static func toolCall(_ tool: String = "t") -> BackendCall {
        BackendCall(server: "b", tool: tool, principal: principal, arguments: Array("{}".utf8))
    }

    /// The first process crashes during `tools/call`; the second answers.
    static func crashesOnce(tools: String = "[]") -> @Sendable (Int) throws(BackendError) -> ScriptedTransport {
        { start in
            ScriptedTransport.server(tools: tools) { method, _ in
                method == "tools/call" && start == 1 ? .close("the process exited") : .result(#"{"content":[]}"#)
            }
        }
    }

    static func isResult(_ outcome: CallOutcome) -> Bool {
        if case .result = outcome { return true }
        return false
    }

    @Test func anIdempotentToolIsRetriedAfterACrash() async {
        let scripted = ScriptedBackend(ScriptedBackend.settings(idempotentTools: ["t", "other_*"]), factory: Self.crashesOnce())
        let outcome = await Self.stage(scripted).call(Self.toolCall())
        #expect(Self.isResult(outcome))
        #expect(scripted.starts == 2)
        #expect(scripted.sent("tools/call") == 2)
        await scripted.backend.stop()
    }

    @Test func aToolWithSideEffectsIsNotRetriedOnceSent() async {
        let scripted = ScriptedBackend(ScriptedBackend.settings(idempotentTools: ["other_*"]), factory: Self.crashesOnce())
        let outcome = await Self.stage(scripted).call(Self.toolCall())
        guard case .failure(.closed) = outcome else {
            Issue.record("expected the crash, got \(outcome)")
            return
        }
        #expect(scripted.sent("tools/call") == 1)
        await scripted.backend.stop()
    }

    /// A start that fails sends nothing: any call may be tried again.
    @Test func aCallTheBackendNeverGotIsRetriedWhateverItDoes() async {
        let scripted = ScriptedBackend(ScriptedBackend.settings()) { start throws(BackendError) in
            if start == 1 { throw .spawnFailed("no such program") }
            return ScriptedTransport.server { _, _ in .result(#"{"content":[]}"#) }
        }
        let outcome = await Self.stage(scripted).call(Self.toolCall())
        #expect(Self.isResult(outcome))
        #expect(scripted.starts == 2)
        #expect(scripted.sent("tools/call") == 1)
        await scripted.backend.stop()
    }

    /// Without `failsafe.retry` nothing is sent twice.
    @Test func withoutRetrySettingsNothingIsRetried() async {
        let scripted = ScriptedBackend(ScriptedBackend.settings(idempotentTools: ["t"]), factory: Self.crashesOnce())
        let outcome = await Self.stage(scripted, retry: nil).call(Self.toolCall())
        #expect(!Self.isResult(outcome))
        #expect(scripted.sent("tools/call") == 1)
        await scripted.backend.stop()
    }

    @Test func aHarmlessReadIsRetriedWithoutBeingListed() async {
        let scripted = ScriptedBackend(ScriptedBackend.settings()) { start in
            ScriptedTransport.server { method, _ in
                method == "resources/read" && start == 1 ? .close("crash") : .result(#"{"contents":[]}"#)
            }
        }
        let read = BackendCall(server: "b", operation: .resourceRead(uri: "file:///a"), principal: Self.principal,
                               arguments: Array(#"{"uri":"file:///a"}"#.utf8))
        #expect(Self.isResult(await Self.stage(scripted).call(read)))
        #expect(scripted.sent("resources/read") == 2)
        await scripted.backend.stop()
    }

    /// The server's own hints count only under `trust_annotations`.
    @Test(arguments: [true, false]) func annotationsCountOnlyWhenTrusted(trusted: Bool) async throws {
        let tools = #"[{"name":"t","inputSchema":{"type":"object"},"annotations":{"idempotentHint":true}}]"#
        let scripted = ScriptedBackend(ScriptedBackend.settings(trustAnnotations: trusted), factory: Self.crashesOnce(tools: tools))
        _ = try await scripted.backend.listTools()
        let outcome = await Self.stage(scripted).call(Self.toolCall())
        #expect(Self.isResult(outcome) == trusted)
        #expect(scripted.sent("tools/call") == (trusted ? 2 : 1))
        await scripted.backend.stop()
    }

    /// A call that hit its deadline is not sent again, and the backend is told to stop it.
    @Test func aTimedOutCallIsNeverRetriedAndIsCancelledAtTheBackend() async throws {
        let scripted = ScriptedBackend(ScriptedBackend.settings(timeout: .seconds(60),
                                                                toolTimeouts: [ToolTimeout(tool: "t", timeout: .milliseconds(200))],
                                                                idempotentTools: ["t"])) { _ in
            ScriptedTransport.server { method, _ in method == "tools/call" ? .silence : .result("{}") }
        }
        // Started first: the deadline would cover waiting for the start too.
        _ = try await scripted.backend.listTools()
        let started = ContinuousClock.now
        let outcome = await Self.stage(scripted).call(Self.toolCall())
        let elapsed = ContinuousClock.now - started
        guard case .failure(.timeout(let seconds)) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(seconds == 0.2)
        // The tool's 200 ms, not the backend's minute (with room for a loaded machine).
        #expect(elapsed < .seconds(10))
        #expect(scripted.sent("tools/call") == 1)
        try await waitUntil { scripted.sent("notifications/cancelled") == 1 }
        await scripted.backend.stop()
    }

    /// A call waits for a slow start only until its own deadline; the start goes on and serves
    /// the next call.
    @Test func aCallWaitsForAStartOnlyUntilItsDeadline() async throws {
        let scripted = ScriptedBackend(ScriptedBackend.settings(toolTimeouts: [ToolTimeout(tool: "t", timeout: .milliseconds(100))])) { _ in
            ScriptedTransport { method, _ in
                method == "initialize"
                    ? .after(.milliseconds(600), .result(#"{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"s","version":"1"}}"#))
                    : .result(#"{"content":[]}"#)
            }
        }
        let outcome = await Self.stage(scripted, retry: nil).call(Self.toolCall())
        guard case .failure(.timeout(let seconds)) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(seconds == 0.1)
        #expect(scripted.sent("tools/call") == 0)
        try await waitUntilAsync { await scripted.backend.status().state == .running }
        #expect(scripted.starts == 1)
        #expect(Self.isResult(await Self.stage(scripted, retry: nil).call(Self.toolCall())))
        await scripted.backend.stop()
    }

    /// Per-tool timeouts: an exact name wins over a glob, other tools get the backend's.
    @Test func perToolTimeouts() {
        let rules = BackendCallRules(settings: ScriptedBackend.settings(
            timeout: .seconds(30),
            toolTimeouts: [ToolTimeout(tool: "export_*", timeout: .seconds(120)), ToolTimeout(tool: "export_pdf", timeout: .seconds(5))]))
        #expect(rules.timeout(forTool: "export_pdf") == .seconds(5))
        #expect(rules.timeout(forTool: "export_csv") == .seconds(120))
        #expect(rules.timeout(forTool: "read") == .seconds(30))
        #expect(rules.timeout(forTool: nil) == .seconds(30))
        #expect(BackendCallRules(settings: ScriptedBackend.settings()).isUniform)
    }

    /// A backend that always crashes gets at most its calls plus the budget's retries, not
    /// three attempts a call.
    @Test func theRetryBudgetBoundsRetries() async {
        let scripted = ScriptedBackend(ScriptedBackend.settings(idempotentTools: ["t"])) { _ in
            ScriptedTransport.server { method, _ in method == "tools/call" ? .close("crash") : .result("{}") }
        }
        let stage = Self.stage(scripted)
        for _ in 0..<20 { _ = await stage.call(Self.toolCall()) }
        // 20 calls, 1 retry to start with and a tenth of one per call: at most 3 retries.
        #expect(scripted.sent("tools/call") <= 23)
        #expect(scripted.sent("tools/call") >= 21)
        await scripted.backend.stop()
    }

    /// A backoff that would end past the call's deadline is not waited for; one that ends
    /// before it is. The jitter is fixed so the pause is known (full jitter would draw it from
    /// 0–60 s, and a short draw makes a retry legitimate).
    @Test func noRetryPastTheDeadline() async {
        let slow = RetrySettings(maxAttempts: 3, initialBackoff: .seconds(60), maxBackoff: .seconds(60))
        for (draw, expectRetry) in [(1.0, false), (0.5, false), (0.001, true)] {
            let scripted = ScriptedBackend(ScriptedBackend.settings(timeout: .seconds(3), idempotentTools: ["t"]),
                                           factory: Self.crashesOnce())
            let started = ContinuousClock.now
            // The pause is `draw` of the 60 s ceiling: 60 s, 30 s, or 60 ms.
            let outcome = await Self.stage(scripted, retry: slow, jitter: { $0.upperBound * draw }).call(Self.toolCall())
            // Not the pause (a loaded test machine can take seconds over the call itself).
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(Self.isResult(outcome) == expectRetry, "pause of \(60 * draw) s")
            await scripted.backend.stop()
        }
    }
}

/// Polls `condition` for up to 30 seconds (a loaded 2-core test machine can stall a task for seconds).
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition not met in 30 s")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
