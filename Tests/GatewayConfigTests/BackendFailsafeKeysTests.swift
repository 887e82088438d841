// A backend's failsafe keys: per-tool timeouts, the tools that may be retried, whether the
// server's own annotations count, and the idle stop of a stdio backend.

import Testing
@testable import GatewayConfig

@Suite struct BackendFailsafeKeysTests {
    @Test func everyKey() throws {
        let result = parse("""
            backends:
              files:
                command: files-server
                tool_timeouts: {convert_video: 10m, "export_*": 2m}
                idempotent_tools: [read_file, "list_*"]
                trust_annotations: true
                stop_when_idle_for: 5m
            """)
        #expect(result.diagnostics.isEmpty)
        let backend = try #require(result.config?.backends.first)
        #expect(backend.toolTimeouts == [ToolTimeout(tool: "convert_video", timeout: .seconds(600)),
                                         ToolTimeout(tool: "export_*", timeout: .seconds(120))])
        #expect(backend.idempotentTools == ["read_file", "list_*"])
        #expect(backend.trustAnnotations)
        #expect(backend.stopWhenIdleFor == .seconds(300))
    }

    @Test func defaults() throws {
        let backend = try #require(parse("backends:\n  a: {command: a}\n").config?.backends.first)
        #expect(backend.toolTimeouts.isEmpty)
        #expect(backend.idempotentTools.isEmpty)
        #expect(!backend.trustAnnotations)
        #expect(backend.stopWhenIdleFor == nil)
    }

    @Test func badValuesAreErrorsAtTheirLine() {
        let result = parse("""
            backends:
              a:
                command: a
                tool_timeouts: {slow: never}
                idempotent_tools: read_file
                stop_when_idle_for: 10ms
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == ["backends.a.tool_timeouts.slow", "backends.a.idempotent_tools",
                                               "backends.a.stop_when_idle_for"])
        #expect(result.errors.map(\.line) == [4, 5, 6])
    }

    /// The gateway does not start a remote server, so it cannot stop one: said, not ignored.
    @Test func idleStopOfARemoteServerIsWarnedAbout() {
        let result = parse("backends:\n  r:\n    http_url: http://127.0.0.1:9/mcp\n    stop_when_idle_for: 1m\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.path) == ["backends.r.stop_when_idle_for"])
        #expect(result.warnings.map(\.line) == [4])
    }
}
