// SSRF: requests to loopback, private, link-local and other special-use addresses are refused unless
// `security.ssrf_allow` names them; the check is on resolved addresses and on every redirect hop, the
// connection goes to the checked address (HTTP and HTTPS), and a redirect to another origin carries
// neither credentials nor a body.

import LoopbackTestServer
import AsyncHTTPClient
@testable import GatewayCapabilities
import GatewayConfig
import MCPProtocol
import NIOCore
import NIOPosix
import Synchronization
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

    // MARK: the special-purpose registries

    @Test(arguments: [
        "0.1.2.3", "100.64.0.1", "100.127.255.254", "192.0.0.170", "198.18.0.1", "198.19.255.255",
        "255.255.255.255", "224.0.0.1", "::", "::1", "::127.0.0.1", "::ffff:169.254.169.254",
        "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1", "64:ff9b:1:ffff::a", "100::1", "100:0:0:1::1",
        "2001::1", "2001:2::1", "3fff::1", "5f00::1", "fc00::1", "fd00:ec2::254", "fe80::1", "febf::1",
        "fec0::1", "ff02::1", "2002:7f00:1::", "2002:a9fe:a9fe::1",
    ])
    func specialPurposeAddressesAreRefused(_ text: String) throws {
        let address = try #require(IPNetwork.parseAddress(text))
        #expect(!SSRFGuard(allow: []).isAllowed(address), "\(text)")
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "64:ff9b::808:808", "::ffff:8.8.8.8", "2606:4700::1111",
                      "2001:4860:4860::8888", "2002:808:808::1"])
    func publicAddressesPass(_ text: String) throws {
        let address = try #require(IPNetwork.parseAddress(text))
        #expect(SSRFGuard(allow: []).isAllowed(address), "\(text)")
    }

    @Test func everyListedRangeParses() {
        // A literal that did not parse would be dropped silently by compactMap.
        #expect(SpecialUseAddresses.ipv4.count == 15)
        #expect(SpecialUseAddresses.ipv6.count == 12)
    }

    // MARK: the connection goes to the checked address

    /// An exchange whose name lookup answers `address` for every name (a rebinding DNS would
    /// answer something else at connect time; here the system would not resolve the name at all).
    static func exchange(resolvingTo address: [UInt8], client: HTTPClient) -> HTTPExchange {
        HTTPExchange(client: client,
                     guardian: SSRFGuard(allow: [IPNetwork(bytes: address, prefixLength: address.count * 8)],
                                         resolve: { _ in [address] }),
                     originOverrides: [:])
    }

    static func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: PinnedClient.baseConfiguration)
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// One request through `exchange`, its error kept as a value.
    static func attempt(_ exchange: HTTPExchange, _ request: PreparedRequest,
                        timeout: Duration = .seconds(5)) async -> Result<HTTPAnswer, CapabilityCallError> {
        do throws(CapabilityCallError) {
            return .success(try await exchange.send(request, timeout: timeout, credentialHeaders: []))
        } catch {
            return .failure(error)
        }
    }

    @Test func httpConnectsToTheCheckedAddress() async throws {
        let server = try await LoopbackServer { _ in .json(#"{"reached":true}"#) }
        defer { Task { await server.stop() } }
        let answer = try await Self.withClient { client in
            try await Self.exchange(resolvingTo: [127, 0, 0, 1], client: client).send(
                PreparedRequest(method: "GET", url: "http://rebind.invalid:\(server.port)/x"), timeout: .seconds(5),
                credentialHeaders: [])
        }
        #expect(answer.status == 200)
        #expect(server.requests.first?.header("host") == "rebind.invalid:\(server.port)")
    }

    @Test func httpsConnectsToTheCheckedAddress() async throws {
        let counter = try await ConnectionCounter()
        defer { Task { await counter.stop() } }
        // The name does not resolve: only a connection pinned to the checked address gets anywhere.
        // The counter hangs up, so the TLS handshake fails after the connection was made.
        let outcome = try await Self.withClient { client in
            await Self.attempt(Self.exchange(resolvingTo: [127, 0, 0, 1], client: client),
                               PreparedRequest(method: "GET", url: "https://rebind.invalid:\(counter.port)/x"),
                               timeout: .seconds(1))
        }
        #expect(throws: CapabilityCallError.self) { try outcome.get() }
        #expect(counter.accepted >= 1)
    }

    @Test func pinnedHTTPSKeepsTheNameForTLS() throws {
        let configuration = PinnedClient.configuration(pinning: "api.example.com", to: [93, 184, 215, 14])
        #expect(configuration.dnsOverride["api.example.com"] == "93.184.215.14")
        #expect(PinnedClient.configuration(pinning: "v6.example", to: IPNetwork.parseAddress("2606:4700::1") ?? [])
            .dnsOverride["v6.example"] == "2606:4700::1")
        #expect(PinnedClient.isNeeded(for: try #require(URLParts("https://api.example.com/x"))))
        #expect(!PinnedClient.isNeeded(for: try #require(URLParts("https://1.2.3.4/x"))))
        #expect(!PinnedClient.isNeeded(for: try #require(URLParts("http://api.example.com/x"))))
    }

    // MARK: redirects to another origin

    @Test func crossOriginRedirectDoesNotCarryTheBody() async throws {
        let other = try await LoopbackServer { _ in .json("{}") }
        defer { Task { await other.stop() } }
        let first = try await LoopbackServer { request in
            request.path == "/x" ? CannedReply(status: 307, headers: [("Location", "\(other.origin)/y")], body: "")
                : .json("{}")
        }
        defer { Task { await first.stop() } }
        let request = PreparedRequest(method: "POST", url: "\(first.origin)/x",
                                      headers: [("Content-Type", "application/json")], body: Array(#"{"token":"t"}"#.utf8))
        let outcome = try await Self.withClient { client in
            await Self.attempt(Self.exchange(resolvingTo: [127, 0, 0, 1], client: client), request)
        }
        let error = try #require(throws: CapabilityCallError.self) { try outcome.get() }
        #expect(error == .crossOriginRedirectWithBody(from: first.origin, to: other.origin))
        #expect(other.requests.isEmpty)
        #expect(first.requests.count == 1)
        #expect(error.message.hasPrefix("refused: \(first.origin) redirected a request with a body to another origin"))
    }

    @Test func redirectPolicyKeepsBodiesAndCredentialsOnTheirOrigin() throws {
        let here = try #require(URLParts("https://api.example.com/x"))
        let there = try #require(URLParts("https://elsewhere.example/y"))
        let samePlace = try #require(URLParts("https://api.example.com/y"))
        let post = PreparedRequest(method: "POST", url: here.text,
                                   headers: [("Authorization", "Bearer s"), ("Content-Type", "application/json")],
                                   body: [0x7B, 0x7D])
        for status in [307, 308] {
            #expect(throws: CapabilityCallError.crossOriginRedirectWithBody(from: here.origin, to: there.origin)) {
                try RedirectPolicy.follow(post, status: status, to: there, from: here, credentialHeaders: ["authorization"])
            }
            let repeated = try RedirectPolicy.follow(post, status: status, to: samePlace, from: here,
                                                     credentialHeaders: ["authorization"])
            #expect(repeated.body == post.body && repeated.header("authorization") == "Bearer s")
        }
        let get = PreparedRequest(method: "GET", url: here.text, headers: [("Authorization", "Bearer s"), ("Cookie", "c")])
        let moved = try RedirectPolicy.follow(get, status: 307, to: there, from: here, credentialHeaders: ["authorization"])
        #expect(moved.header("authorization") == nil && moved.header("cookie") == nil && moved.url == there.text)
        let seeOther = try RedirectPolicy.follow(post, status: 303, to: there, from: here, credentialHeaders: ["authorization"])
        #expect(seeOther.method == "GET" && seeOther.body == nil && seeOther.header("authorization") == nil)
    }
}

/// A TCP listener on 127.0.0.1 that counts connections and hangs up on each.
final class ConnectionCounter: Sendable {
    private final class Tally: Sendable {
        let value = Atomic<Int>(0)
    }

    private let channel: any Channel
    private let tally: Tally
    let port: Int

    var accepted: Int { tally.value.load(ordering: .relaxed) }

    init() async throws {
        let tally = Tally()
        self.tally = tally
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                tally.value.add(1, ordering: .relaxed)
                return channel.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    func stop() async {
        try? await channel.close()
    }
}
