// Origin and Host checks of the HTTP front end.

import Testing
@testable import GatewayServer

@Suite struct OriginPolicyTests {
    @Test func localhostOriginsPassByDefault() {
        let policy = OriginPolicy(allowedOrigins: [], bindHost: "127.0.0.1")
        #expect(policy.allows(origin: nil))
        #expect(policy.allows(origin: "http://localhost:3000"))
        #expect(policy.allows(origin: "http://127.0.0.1"))
        #expect(policy.allows(origin: "http://[::1]:8080"))
        #expect(!policy.allows(origin: "http://evil.example"))
        #expect(!policy.allows(origin: "http://localhost.evil.example"))
        #expect(!policy.allows(origin: "null"))
    }

    @Test func configuredOriginsAndWildcard() {
        #expect(OriginPolicy(allowedOrigins: ["https://app.example/"], bindHost: "127.0.0.1").allows(origin: "https://app.example"))
        #expect(OriginPolicy(allowedOrigins: ["*"], bindHost: "127.0.0.1").allows(origin: "http://anything"))
    }

    @Test func hostHeaderMustBeLoopbackWhenBoundToLoopback() {
        let policy = OriginPolicy(allowedOrigins: [], bindHost: "127.0.0.1")
        #expect(policy.allows(host: "127.0.0.1:39400"))
        #expect(policy.allows(host: "localhost"))
        #expect(!policy.allows(host: "rebind.evil.example:39400"))
        #expect(OriginPolicy(allowedOrigins: [], bindHost: "0.0.0.0").allows(host: "gateway.internal"))
    }
}
