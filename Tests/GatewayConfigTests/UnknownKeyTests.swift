// Unknown keys are errors with a location and a did-you-mean; the reference product's keys are warnings.

import Testing
@testable import GatewayConfig

@Suite struct UnknownKeyTests {
    @Test func misspelledBackendKey() {
        let result = parse("""
            # my gateway
            server:
              port: 39400

            backends:
              git:
                comand: uvx mcp-server-git
            """)
        #expect(result.config == nil)
        // The misspelling is the one error: no follow-up "needs 'command'" for the same mistake.
        let unknown = result.singleError
        #expect(unknown?.description == "gateway.yaml:7:5: error: unknown key 'comand' in 'backends.git'; did you mean 'command'?")
        #expect(unknown?.path == "backends.git.comand")
        #expect(unknown?.line == 7)
        #expect(unknown?.column == 5)
    }

    @Test func missingTransportIsReportedWhenNoKeyLooksLikeIt() {
        let result = parse("backends:\n  git:\n    descripton: x\n")
        #expect(result.errorMessages == [
            "backend 'git' needs 'command' (a local process) or 'http_url' (a remote server)",
            "unknown key 'descripton' in 'backends.git'; did you mean 'description'?",
        ])
    }

    @Test(arguments: [
        ("sever:\n  port: 1\n", "unknown top-level key 'sever'; did you mean 'server'?"),
        ("server:\n  prot: 1\n", "unknown key 'prot' in 'server'; did you mean 'port'?"),
        ("server:\n  maxBodySize: 1\n", "unknown key 'maxBodySize' in 'server'; did you mean 'max_body_size'?"),
        ("server:\n  timeout: 1\n", "unknown key 'timeout' in 'server'; did you mean 'request_timeout'?"),
        ("metamcp:\n  enabled: true\n", "unknown top-level key 'metamcp'; did you mean 'meta_mcp'?"),
        ("meta_mcp:\n  warmstart: []\n", "unknown key 'warmstart' in 'meta_mcp'; did you mean 'warm_start'?"),
        ("backends:\n  a:\n    url: http://x/mcp\n", "unknown key 'url' in 'backends.a'; did you mean 'http_url'?"),
        ("failsave: {}\n", "unknown top-level key 'failsave'; did you mean 'failsafe'?"),
        ("server:\n  zzz: 1\n", "unknown key 'zzz' in 'server'"),
    ])
    func suggestions(_ yaml: String, _ message: String) {
        #expect(parse(yaml).errorMessages.first == message)
    }

    /// Security sections of the reference are refused with their lines, unless switched off.
    @Test func referenceSecurityKeysAreRefusedWithTheirLines() {
        let keys = ["key_server", "agent_auth"]
        let result = parse(keys.map { "\($0): {a: 1}" }.joined(separator: "\n"))
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == keys)
        #expect(result.errors.map(\.line) == Array(1...keys.count))
        #expect(parse("mtls: {enabled: false, ca_cert: x}\nsecurity:\n  tool_policy: {enabled: no}\n").diagnostics.isEmpty)
        #expect(parse("auth:\n  enabled: false\n  api_keys: [{key: k}]\n").diagnostics.isEmpty)
        #expect(parse("auth:\n  enabled: true\n").errors.map(\.path) == ["auth.enabled"])
    }

    @Test func referenceTopLevelKeysWarnWithTheirLines() {
        let keys = [
            "env_files", "streaming", "cache", "playbooks", "code_mode", "runtime",
            "marketplace", "control_plane",
        ]
        let yaml = keys.map { "\($0): {}" }.joined(separator: "\n")
        let result = parse(yaml)
        #expect(result.errors.isEmpty)
        #expect(result.config != nil)
        #expect(result.warnings.map(\.path) == keys)
        #expect(result.warnings.map(\.line) == Array(1...keys.count))
        #expect(result.warningMessages[2] == "'cache' is not supported yet and is ignored")
        #expect(result.warnings[2].description == "gateway.yaml:3:1: warning: 'cache' is not supported yet and is ignored")
        #expect(result.warningMessages[0].contains("variables from those files are not loaded"))
    }

    @Test func referenceServerKeysWarn() {
        let result = parse("server:\n  ws_port: 39401\n  public_url: https://gw.example\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.path) == ["server.ws_port", "server.public_url"])
    }

    @Test func unknownKeysInsideIgnoredSectionsAreNotChecked() {
        let result = parse("streaming: {whatever: 1}\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.count == 1)
    }

    @Test func nonStringKeyIsReported() {
        let result = parse("server:\n  [a, b]: 1\n")
        #expect(result.singleError?.path == "server")
    }
}
