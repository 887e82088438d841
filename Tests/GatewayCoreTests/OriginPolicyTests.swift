// Origin and Host checks of the HTTP front end: without an Origin (a non-browser client) a
// request passes; a browser's Origin must be the gateway's own or configured; the Host check
// holds whatever the origins say.

import Testing
@testable import GatewayServer

@Suite struct OriginPolicyTests {
    static func policy(_ origins: [String] = [], bind: String = "127.0.0.1", port: Int = 39400) -> OriginPolicy {
        OriginPolicy(allowedOrigins: origins, bindHost: bind, listening: ListeningPort(port))
    }

    @Test func onlyTheGatewaysOwnOriginPassesByDefault() {
        let policy = Self.policy()
        #expect(policy.allows(origin: nil))
        #expect(policy.allows(origin: ""))
        #expect(policy.allows(origin: "http://localhost:39400"))
        #expect(policy.allows(origin: "http://127.0.0.1:39400"))
        #expect(policy.allows(origin: "http://[::1]:39400"))
        #expect(policy.allows(origin: "HTTP://LOCALHOST:39400/"))
        // Any other port of this machine is another page's origin (probe p21: localhost:1).
        #expect(!policy.allows(origin: "http://localhost:1"))
        #expect(!policy.allows(origin: "http://localhost:3000"))
        #expect(!policy.allows(origin: "http://127.0.0.1"))
        #expect(!policy.allows(origin: "https://localhost:39400"))
        #expect(!policy.allows(origin: "http://evil.example:39400"))
        #expect(!policy.allows(origin: "http://localhost.evil.example:39400"))
        #expect(!policy.allows(origin: "http://user@localhost:39400"))
        #expect(!policy.allows(origin: "http://localhost:39400/path"))
        #expect(!policy.allows(origin: "http://localhost:+39400"))
        #expect(!policy.allows(origin: "null"))
    }

    @Test func ownOriginFollowsTheBoundPort() {
        let listening = ListeningPort(0)
        let policy = OriginPolicy(allowedOrigins: [], bindHost: "localhost", listening: listening)
        #expect(!policy.allows(origin: "http://localhost:41000"))
        listening.bound(to: 41000)
        #expect(policy.allows(origin: "http://localhost:41000"))
        #expect(Self.policy(port: 80).allows(origin: "http://localhost"))
    }

    /// With TLS (`mtls`) the gateway's own origin is https; its http twin is another origin.
    @Test func ownOriginIsHTTPSWithTLS() {
        let policy = OriginPolicy(allowedOrigins: [], bindHost: "127.0.0.1", listening: ListeningPort(39400), secure: true)
        #expect(policy.allows(origin: "https://127.0.0.1:39400"))
        #expect(policy.allows(origin: "https://localhost:39400/"))
        #expect(!policy.allows(origin: "http://127.0.0.1:39400"))
        #expect(!policy.allows(origin: "https://localhost:3000"))
        let standard = OriginPolicy(allowedOrigins: [], bindHost: "127.0.0.1", listening: ListeningPort(443), secure: true)
        #expect(standard.allows(origin: "https://localhost"))
        #expect(!standard.allows(origin: "http://localhost"))
    }

    @Test func ownOriginOfANamedOrWildcardBind() {
        let named = Self.policy(bind: "gateway.internal")
        #expect(named.allows(origin: "http://gateway.internal:39400"))
        #expect(!named.allows(origin: "http://localhost:39400"))
        let wildcard = Self.policy(bind: "0.0.0.0")
        #expect(wildcard.allows(origin: "http://127.0.0.1:39400"))
        #expect(!wildcard.allows(origin: "http://gateway.internal:39400"))
    }

    @Test func configuredOriginsAndWildcard() {
        #expect(Self.policy(["https://app.example/"]).allows(origin: "https://app.example"))
        #expect(!Self.policy(["https://app.example"]).allows(origin: "https://app.example:444"))
        #expect(Self.policy(["*"]).allows(origin: "http://anything"))
    }

    @Test func hostHeaderMustBeLoopbackWhenBoundToLoopback() {
        let policy = Self.policy()
        #expect(policy.allows(host: nil))
        #expect(policy.allows(host: "127.0.0.1:39400"))
        #expect(policy.allows(host: "localhost"))
        #expect(policy.allows(host: "[::1]:39400"))
        #expect(!policy.allows(host: "rebind.evil.example:39400"))
        #expect(!policy.allows(host: "localhost.evil.example"))
        #expect(!policy.allows(host: "localhost:99999"))
        #expect(Self.policy(bind: "0.0.0.0").allows(host: "gateway.internal"))
        #expect(Self.policy(["https://app.example"]).allows(host: "app.example:39400"))
    }

    /// Probe p04: `allowed_origins: ["*"]` opens the origins, never the Host check.
    /// The byte-level fast path agrees with the full parse on every shape of Host header.
    @Test func loopbackHostHeadersRecognisedOverBytes() {
        let policy = Self.policy()
        for host in ["127.0.0.1", "127.0.0.1:39400", "localhost:1", "LocalHost:65535", "[::1]:8080", "[::1]", "localhost"] {
            #expect(policy.allows(host: host), "\(host)")
        }
        for host in ["127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:123456", "127.0.0.2:80", "localhost.evil:80",
                     "evil.localhost:80", "127.0.0.1:80:80", "127.0.0.1@evil:80", ":80", "localhost:", "[::2]:80"] {
            #expect(!policy.allows(host: host), "\(host)")
        }
    }

    @Test func wildcardOriginsKeepTheHostCheck() {
        let policy = Self.policy(["*"])
        #expect(!policy.allows(host: "rebind.attacker.example:39497"))
        #expect(policy.refusal(origin: "http://rebind.attacker.example:39497", host: "rebind.attacker.example:39497")
            == "Forbidden: Host header is not a loopback name")
        #expect(policy.refusal(origin: nil, host: "localhost:39497") == nil)
    }

    @Test func refusalSaysWhy() {
        let reason = Self.policy().refusal(origin: "http://localhost:1", host: "127.0.0.1:39400")
        #expect(reason?.hasPrefix("Forbidden: origin 'http://localhost:1' is not allowed") == true)
    }
}
