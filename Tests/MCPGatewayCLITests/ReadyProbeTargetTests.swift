// `mcp-gateway ready` probes loopback for a wildcard listen address, brackets IPv6 literals and
// follows TLS with https.

import Testing
@testable import MCPGatewayCLI

@Suite struct ReadyProbeTargetTests {
    @Test func wildcardAddressesAreProbedOnLoopback() {
        #expect(ReadyProbeTarget.url(host: "0.0.0.0", port: 8080, tls: false) == "http://127.0.0.1:8080/ready")
        #expect(ReadyProbeTarget.url(host: "", port: 8080, tls: false) == "http://127.0.0.1:8080/ready")
        #expect(ReadyProbeTarget.url(host: "::", port: 9, tls: false) == "http://[::1]:9/ready")
    }

    @Test func namedHostsAndLiteralsAreKept() {
        #expect(ReadyProbeTarget.url(host: "127.0.0.1", port: 39400, tls: true) == "https://127.0.0.1:39400/ready")
        #expect(ReadyProbeTarget.url(host: "fd00::5", port: 443, tls: true) == "https://[fd00::5]:443/ready")
        #expect(ReadyProbeTarget.url(host: "gateway.internal", port: 80, tls: false) == "http://gateway.internal:80/ready")
    }
}
