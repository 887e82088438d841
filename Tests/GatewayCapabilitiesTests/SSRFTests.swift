// SSRF: requests to loopback, private, link-local and other special-use addresses are refused unless
// `security.ssrf_allow` names them; the check is on resolved addresses and on every redirect hop.

import GatewayCapabilities
import GatewayConfig
import MCPProtocol
import Testing

@Suite struct SSRFTests {
    static func capability(baseURL: String) -> String {
        """
        name: probe
        description: Probe.
        providers:
          primary:
            timeout: 2s
            config: {base_url: "\(baseURL)", path: /x}
        """
    }

    func call(baseURL: String, allowLoopback: Bool) async throws -> CallOutcome {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("probe.yaml", Self.capability(baseURL: baseURL))
        return try await withCatalog(testSettings(directories: [directory.path], allowLoopback: allowLoopback)) { catalog in
            CallOutcome(await catalog.call(tool: "probe", arguments: []))
        }
    }

    @Test func loopbackIsRefusedUnlessAllowed() async throws {
        let server = try await LoopbackServer { _ in .json(#"{"reached":true}"#) }
        defer { Task { await server.stop() } }
        let refused = try await call(baseURL: server.origin, allowLoopback: false)
        #expect(refused.isError)
        #expect(refused.text.hasPrefix("refused: 127.0.0.1 resolves to 127.0.0.1, a private, loopback, link-local or otherwise special-use address; allow it with security.ssrf_allow"))
        #expect(server.requests.isEmpty)
        let allowed = try await call(baseURL: server.origin, allowLoopback: true)
        #expect(allowed.structured == ["reached": true])
    }

    @Test(arguments: [
        ("http://localhost:9/", "localhost"), ("http://169.254.169.254/", "169.254.169.254"), ("http://10.1.2.3/", "10.1.2.3"),
        ("http://192.168.0.1/", "192.168.0.1"), ("http://172.16.5.4/", "172.16.5.4"), ("http://100.64.0.1/", "100.64.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"), ("http://[::1]/", "::1"), ("http://[fe80::1]/", "fe80::1"), ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://[::ffff:127.0.0.2]/", "::ffff:127.0.0.2"), ("http://127.0.0.2/", "127.0.0.2"),
    ])
    func specialUseAddressesAreRefused(_ baseURL: String, _ host: String) async throws {
        let outcome = try await call(baseURL: baseURL, allowLoopback: false)
        #expect(outcome.isError)
        #expect(outcome.text.hasPrefix("refused: \(host) resolves to"), "\(outcome.text)")
    }

    @Test func allowingOneLoopbackAddressDoesNotAllowTheRange() async throws {
        let outcome = try await call(baseURL: "http://127.0.0.2:1/", allowLoopback: true)
        #expect(outcome.text.hasPrefix("refused: 127.0.0.2 resolves to 127.0.0.2"))
    }

    @Test func redirectsToRefusedAddressesAreRefused() async throws {
        let server = try await LoopbackServer { request in
            request.path == "/x" ? CannedReply(status: 302, headers: [("Location", "http://127.0.0.2:1/secret")], body: "")
                : .json("{}")
        }
        defer { Task { await server.stop() } }
        let outcome = try await call(baseURL: server.origin, allowLoopback: true)
        #expect(outcome.isError)
        #expect(outcome.text.hasPrefix("refused: 127.0.0.2 resolves to 127.0.0.2"))
        #expect(server.requests.count == 1)
    }

    @Test func redirectsAreFollowedWithinAllowedAddresses() async throws {
        let server = try await LoopbackServer { request in
            request.path == "/x" ? CannedReply(status: 301, headers: [("Location", "/moved?a=1")], body: "")
                : .json("{\"at\":\"\(request.uri)\"}")
        }
        defer { Task { await server.stop() } }
        let outcome = try await call(baseURL: server.origin, allowLoopback: true)
        #expect(outcome.structured == ["at": "/moved?a=1"])
    }

    @Test func allowListTakesAddressesAndRanges() {
        let networks = ["127.0.0.1", "10.0.0.0/8", "fd00::/8"].compactMap(IPNetwork.init)
        #expect(networks.count == 3)
        #expect(networks[1].contains([10, 200, 3, 4]))
        #expect(!networks[1].contains([11, 0, 0, 1]))
        #expect(networks[2].contains(IPNetwork.parseAddress("fd12::5") ?? []))
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("host.example") == nil)
        #expect(IPNetwork("010.0.0.1") == nil)
        #expect(IPNetwork.format(IPNetwork.parseAddress("fd00:ec2:0:0:0:0:0:254") ?? []) == "fd00:ec2::254")
    }
}
