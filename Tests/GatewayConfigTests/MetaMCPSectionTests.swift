// Every key of the `meta_mcp:` section, and the check that the backends it names exist.

import Testing
@testable import GatewayConfig

@Suite struct MetaMCPSectionTests {
    private let backends = """
        backends:
          git:
            command: git-mcp
          docs:
            http_url: https://docs.example/mcp
        """

    @Test func everyKey() {
        let result = parse("""
            meta_mcp:
              enabled: false
              cache_ttl: 10m
              discovery_wait: 12s
              surfaced_tools:
                - server: git
                  tool: git_status
                - {server: docs, tool: search}
              warm_start: [git]
            \(backends)
            """)
        #expect(result.diagnostics.isEmpty)
        let meta = result.config?.metaMCP
        #expect(meta?.enabled == false)
        #expect(meta?.cacheTTL == .seconds(600))
        #expect(meta?.discoveryWait == .seconds(12))
        #expect(meta?.surfacedTools == [SurfacedTool(server: "git", tool: "git_status"), SurfacedTool(server: "docs", tool: "search")])
        #expect(meta?.warmStart == ["git"])
    }

    @Test func discoveryWaitMayBeZeroButMustBeADuration() {
        #expect(parse("meta_mcp:\n  discovery_wait: 0s\n").config?.metaMCP.discoveryWait == .zero)
        let bad = parse("meta_mcp:\n  discovery_wait: soon\n")
        #expect(bad.config == nil)
        #expect(bad.errors.map(\.path) == ["meta_mcp.discovery_wait"])
        #expect(bad.errors.map(\.line) == [2])
    }

    @Test func searchIsHybridUnlessSetToLexicalAndNothingElse() throws {
        #expect(parse("meta_mcp:\n  enabled: true\n").config?.metaMCP.search == .hybrid)
        #expect(parse("meta_mcp:\n  search: lexical\n").config?.metaMCP.search == .lexical)
        #expect(parse("meta_mcp:\n  search: hybrid\n").config?.metaMCP.search == .hybrid)
        let bad = parse("meta_mcp:\n  enabled: true\n  search: hybird\n")
        #expect(bad.config == nil)
        let error = try #require(bad.errors.first)
        #expect(error.path == "meta_mcp.search")
        #expect(error.line == 3)
        #expect(error.message.contains("lexical, hybrid"))
        #expect(error.message.contains("did you mean 'hybrid'?"))
    }

    @Test func warmStartStar() {
        let result = parse("meta_mcp:\n  warm_start: [\"*\"]\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.config?.metaMCP.warmStart == ["*"])
    }

    @Test func unknownBackendNamesAreErrorsWithSuggestions() {
        let result = parse("""
            meta_mcp:
              warm_start: [gti]
              surfaced_tools:
                - server: doc
                  tool: search
            \(backends)
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == ["meta_mcp.warm_start[0]", "meta_mcp.surfaced_tools[0].server"])
        #expect(result.errorMessages[0] == "'meta_mcp.warm_start' names 'gti', which is not a backend; did you mean 'git'?")
        #expect(result.errorMessages[1] == "'meta_mcp.surfaced_tools' names 'doc', which is not a backend; did you mean 'docs'?")
        #expect(result.errors.map(\.line) == [2, 4])
    }

    @Test func surfacedToolNeedsBothKeysAndNoOthers() {
        let result = parse("""
            meta_mcp:
              surfaced_tools:
                - server: git
                - server: git
                  tool: status
                  tools: x
            \(backends)
            """)
        #expect(result.errorMessages == [
            "'meta_mcp.surfaced_tools[0]' needs 'tool'",
            "unknown key 'tools' in 'meta_mcp.surfaced_tools[1]'; did you mean 'tool'?",
        ])
    }

    @Test func badEnabledValue() {
        let result = parse("meta_mcp:\n  enabled: maybe\n")
        #expect(result.singleError?.message == "expected true or false for 'meta_mcp.enabled', found 'maybe'")
    }

    @Test func referenceOnlyKeysWarn() {
        let result = parse("meta_mcp:\n  cache_tools: true\n  projection_mode: on\n")
        #expect(result.errors.isEmpty)
        #expect(result.warningMessages == [
            "'cache_tools' is not supported yet and is ignored",
            "'projection_mode' is not supported yet and is ignored",
        ])
        #expect(result.config != nil)
    }
}
