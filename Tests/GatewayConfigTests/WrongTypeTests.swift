// Values of the wrong kind say what was expected, and every problem in a file is reported in one pass.

import Testing
@testable import GatewayConfig

@Suite struct WrongTypeTests {
    @Test(arguments: [
        ("server: [1, 2]\n", "expected a mapping for 'server', found a list"),
        ("backends: [a, b]\n", "expected a mapping of backend names to settings for 'backends', found a list"),
        ("backends:\n  a: just-a-string\n", "expected a mapping for 'backends.a', found a string"),
        ("meta_mcp:\n  enabled: maybe\n", "expected true or false for 'meta_mcp.enabled', found 'maybe'"),
        ("meta_mcp:\n  surfaced_tools: {server: a}\n", "expected a list of {server, tool} entries for 'meta_mcp.surfaced_tools', found a mapping"),
        ("meta_mcp:\n  warm_start: git\n", "expected a list of strings for 'meta_mcp.warm_start', found a string"),
        ("server:\n  host: {name: x}\n", "expected a string for 'server.host', found a mapping"),
        ("backends:\n  a:\n    command: x\n    env: [A=1]\n", "expected a mapping of names to strings for 'backends.a.env', found a list"),
        ("backends:\n  a:\n    command: x\n    enabled: 2\n", "expected true or false for 'backends.a.enabled', found '2'"),
        ("backends:\n  a:\n    command: x\n    description: [x]\n", "expected a string for 'backends.a.description', found a list"),
        ("[1, 2]\n", "expected a mapping at the top level of the file, found a list"),
    ])
    func wrongTypes(_ yaml: String, _ message: String) {
        let result = parse(yaml)
        #expect(result.config == nil)
        #expect(result.errorMessages == [message])
    }

    @Test func longValuesAreShortened() {
        let long = String(repeating: "x", count: 60)
        let message = parse("server:\n  port: \(long)\n").singleError?.message
        #expect(message == "expected an integer port 1-65535 for 'server.port', found '\(String(repeating: "x", count: 40))…'")
    }

    @Test func allProblemsAreReportedAtOnceInFileOrder() {
        let result = parse("""
            meta_mcp:
              warm_start: [nope]
              enabled: perhaps
            server:
              port: abc
              hots: localhost
            backends:
              "bad/name":
                command: x
              good:
                command: x
                timeout: forever
                env: {K: "${UNSET_ONE}"}
              remote:
                http_url: ftp://x
            security: {firewall: {scan_requests: true}}
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == [
            "meta_mcp.warm_start[0]", "meta_mcp.enabled", "server.port", "server.hots", "backends.bad/name",
            "backends.good.timeout", "backends.good.env.K", "backends.remote.http_url", "security.firewall.scan_requests",
        ])
        #expect(result.errors.map(\.line) == [2, 3, 5, 6, 8, 12, 13, 15, 16])
        #expect(result.warnings.isEmpty)
        #expect(result.diagnostics.map(\.line) == result.diagnostics.map(\.line).sorted())
    }
}
