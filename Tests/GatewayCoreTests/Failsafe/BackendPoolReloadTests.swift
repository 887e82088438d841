// What a reload does to the pool: added, removed and replaced backends by name; a change only
// to per-call rules keeps the running backend; a retired backend finishes its call in flight
// and then refuses new ones with the reason.

import AsyncHTTPClient
import GatewayBackends
import GatewayConfig
@testable import GatewayCore
import Logging
import MCPProtocol
import Testing

@Suite struct BackendPoolReloadTests {
    static func settings(_ name: String, command: String = "server") -> BackendSettings {
        BackendSettings(name: name, transport: .stdio(command: [command]))
    }

    static func pool(_ settings: [BackendSettings]) -> BackendPool {
        let make: @Sendable (BackendSettings) -> Backend = {
            Backend(settings: $0, httpClient: HTTPClient.shared, cacheTTL: .seconds(60), logger: Logger(label: "test"),
                    onToolsChanged: { _ in })
        }
        return BackendPool(backends: settings.map(make), cacheTTL: .seconds(60), makeBackend: make)
    }

    @Test func addedRemovedAndReplacedByName() throws {
        let pool = Self.pool([Self.settings("a"), Self.settings("b"), Self.settings("c")])
        let (a, b, c) = (try #require(pool.backend(named: "a")), try #require(pool.backend(named: "b")), try #require(pool.backend(named: "c")))
        var tuned = Self.settings("a")
        tuned.limits.maxConcurrent = 3
        tuned.toolTimeouts = [ToolTimeout(tool: "slow", timeout: .seconds(90))]
        tuned.idempotentTools = ["read"]
        tuned.trustAnnotations = true
        let changes = pool.reconcile([Self.settings("d"), tuned, Self.settings("b", command: "other")])
        #expect(changes.added == ["d"])
        #expect(changes.removed == ["c"])
        #expect(changes.replaced == ["b"])
        #expect(changes.retired.map(\.name).sorted() == ["b", "c"])
        #expect(changes.retired.contains { $0 === b } && changes.retired.contains { $0 === c })
        // In the order written; `a` kept (only per-call rules changed), `b` a new backend.
        #expect(pool.names == ["d", "a", "b"])
        #expect(pool.backend(named: "a") === a)
        #expect(pool.backend(named: "b") !== b)
        #expect(pool.backend(named: "b")?.settings.transport == .stdio(command: ["other"]))
        #expect(pool.backend(named: "c") == nil)
        #expect(pool.reconcile([Self.settings("d"), tuned, Self.settings("b", command: "other")]).isEmpty)
    }

    @Test(arguments: [
        { (s: inout BackendSettings) in s.timeout = .seconds(5) },
        { (s: inout BackendSettings) in s.env = ["K": "v"] },
        { (s: inout BackendSettings) in s.description = "new" },
        { (s: inout BackendSettings) in s.enabled = false },
        { (s: inout BackendSettings) in s.stopWhenIdleFor = .seconds(60) },
    ] as [@Sendable (inout BackendSettings) -> Void])
    func otherChangesReplaceTheBackend(change: @Sendable (inout BackendSettings) -> Void) {
        var changed = Self.settings("a")
        change(&changed)
        #expect(!BackendPool.runsTheSame(Self.settings("a"), changed))
    }

    @Test func aRetiredBackendFinishesItsCallThenRefusesWithTheReason() async throws {
        let scripted = ScriptedBackend(ScriptedBackend.settings()) { _ in
            ScriptedTransport.server { method, _ in
                method == "tools/call" ? .after(.milliseconds(300), .result(#"{"content":[]}"#)) : .result("{}")
            }
        }
        let backend = scripted.backend
        let call = Task { try await backend.request(method: "tools/call", params: Array(#"{"name":"t"}"#.utf8)[...]) }
        try await waitUntil { scripted.sent("tools/call") == 1 }
        let drained = Task { await backend.drainAndStop(within: .seconds(10), reason: "removed by a reload") }
        #expect(try await call.value.resultRaw != nil)
        await drained.value
        #expect(scripted.transports.first?.isClosed == true)
        await #expect(throws: BackendError.closed("removed by a reload")) {
            try await backend.request(method: "tools/call", params: Array(#"{"name":"t"}"#.utf8)[...])
        }
    }
}
