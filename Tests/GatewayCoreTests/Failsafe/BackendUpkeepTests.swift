// Health pings and the idle stop over scripted backends: a backend that stops answering pings
// is restarted only after the threshold, without cutting the call it is still running; one
// that answers (even "unknown method") stays; an idle stdio backend stops, not while a call
// is in flight, and the next call starts it again.

import GatewayBackends
import GatewayConfig
@testable import GatewayCore
import MCPProtocol
import Testing

@Suite struct BackendUpkeepTests {
    @Test func aBackendThatStopsAnsweringPingsIsRestartedWithoutCuttingItsCall() async throws {
        let scripted = ScriptedBackend(ScriptedBackend.settings()) { start in
            ScriptedTransport.server { method, _ in
                switch method {
                case "ping": return start == 1 ? .silence : .result("{}")
                case "tools/call": return .after(.seconds(1), .result(#"{"content":[]}"#))
                default: return .result("{}")
                }
            }
        }
        let backend = scripted.backend
        #expect(await backend.probeHealth(timeout: .milliseconds(50), failureThreshold: 2) == .notRunning)
        let call = Task { try await backend.request(method: "tools/call", params: Array(#"{"name":"t"}"#.utf8)[...]) }
        try await waitUntil { scripted.sent("tools/call") == 1 }
        #expect(await backend.probeHealth(timeout: .milliseconds(50), failureThreshold: 2) == .missed(1))
        #expect(await backend.status().missedPings == 1)
        #expect(await backend.probeHealth(timeout: .milliseconds(50), failureThreshold: 2) == .restarted)
        // The call in flight finishes on the retired session, which closes after it.
        let reply = try await call.value
        #expect(reply.resultRaw != nil)
        try await waitUntil { scripted.transports.first?.isClosed == true }
        try await waitUntil { scripted.starts == 2 }
        try await waitUntilAsync { await backend.status().state == .running }
        #expect(await backend.probeHealth(timeout: .seconds(5), failureThreshold: 2) == .answered)
        #expect(await backend.status().restarts == 1)
        await backend.stop()
    }

    /// "Unknown method" is an answer: the backend is alive.
    @Test func anErrorAnswerToAPingIsHealthy() async throws {
        let scripted = ScriptedBackend(ScriptedBackend.settings()) { _ in
            ScriptedTransport.server { method, _ in method == "ping" ? .error(code: -32601, message: "Method not found") : .result("{}") }
        }
        _ = try await scripted.backend.listTools()
        for _ in 0..<3 {
            #expect(await scripted.backend.probeHealth(timeout: .milliseconds(200), failureThreshold: 1) == .answered)
        }
        #expect(scripted.starts == 1)
        await scripted.backend.stop()
    }

    @Test func anIdleStdioBackendStopsAndTheNextCallStartsIt() async throws {
        // A tool list never fresh: only the idle stop keeps a refresh from starting it.
        let scripted = ScriptedBackend(ScriptedBackend.settings(stopWhenIdleFor: .milliseconds(200)), cacheTTL: .zero) { _ in
            ScriptedTransport.server { method, _ in
                method == "tools/call" ? .after(.milliseconds(400), .result(#"{"content":[]}"#)) : .result("{}")
            }
        }
        let backend = scripted.backend
        _ = try await backend.listTools()
        let call = Task { try await backend.request(method: "tools/call", params: Array(#"{"name":"t"}"#.utf8)[...]) }
        try await waitUntil { scripted.sent("tools/call") == 1 }
        try await Task.sleep(for: .milliseconds(250))
        // Idle for longer than the limit since the call began, but the call is still running.
        #expect(await !backend.stopIfIdle())
        _ = try await call.value
        // Idleness counts from the end of the last call.
        #expect(await !backend.stopIfIdle())
        try await Task.sleep(for: .milliseconds(250))
        #expect(await backend.stopIfIdle())
        #expect(await backend.status().state == .stopped)
        try await waitUntil { scripted.transports.first?.isClosed == true }
        // Its tool list stands without starting it again.
        _ = try await backend.listTools()
        #expect(scripted.starts == 1)
        _ = try await backend.request(method: "tools/call", params: Array(#"{"name":"t"}"#.utf8)[...])
        #expect(scripted.starts == 2)
        #expect(await backend.status().state == .running)
        await backend.stop()
    }

    /// Without `stop_when_idle_for` nothing stops.
    @Test func withoutTheSettingNothingStops() async throws {
        let scripted = ScriptedBackend(ScriptedBackend.settings()) { _ in ScriptedTransport.server() }
        _ = try await scripted.backend.listTools()
        #expect(await !scripted.backend.stopIfIdle())
        await scripted.backend.stop()
    }
}

/// Polls an async `condition` for up to 30 seconds.
func waitUntilAsync(_ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while await !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition not met in 30 s")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
