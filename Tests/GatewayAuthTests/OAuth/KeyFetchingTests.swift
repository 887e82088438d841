// Where keys come from and how often: discovery (RFC 8414, then OIDC; the metadata must name the
// configured issuer), a configured jwks_url, one shared fetch for concurrent verifies, an
// unknown kid refetching at most once a minute (rotation works, a flood of invented kids does
// not reach the issuer), a fetch failure refusing every token (fail closed, never cached), and
// the key set refreshed when old.

import Foundation
import GatewayConfig
import JWTKit
import Testing
@testable import GatewayAuth

@Suite struct KeyFetchingTests {
    @Test func discoveryOrderAndIssuerCheck() async throws {
        let fetcher = IssuerKeyFetcher(issuer: "https://id.example.test/tenant/", configuredJWKSURL: nil, fetch: { _ in [] })
        #expect(fetcher.discoveryURLs == [
            "https://id.example.test/.well-known/oauth-authorization-server/tenant",
            "https://id.example.test/.well-known/openid-configuration/tenant",
            "https://id.example.test/tenant/.well-known/openid-configuration",
        ])
        let root = IssuerKeyFetcher(issuer: "http://127.0.0.1:9000", configuredJWKSURL: nil, fetch: { _ in [] })
        #expect(root.discoveryURLs == ["http://127.0.0.1:9000/.well-known/oauth-authorization-server",
                                       "http://127.0.0.1:9000/.well-known/openid-configuration"])

        // Only OIDC metadata: found after the RFC 8414 URL fails.
        let oidc = try TestIssuer(metadataAt: ["/.well-known/openid-configuration"])
        if case .valid = await oidc.verifier().verify(try await oidc.token()) {} else { Issue.record("OIDC discovery") }
        #expect(oidc.hits("/.well-known/oauth-authorization-server") == 1 && oidc.hits("/.well-known/openid-configuration") == 1)

        // Metadata naming another issuer: its keys are not used.
        let impostor = try TestIssuer(metadataIssuer: "https://evil.example.test")
        #expect(await impostor.verifier().verify(try await impostor.token()) == .invalid(reason: TokenRefusal.keysUnavailable.reason))
        #expect(impostor.hits("/jwks") == 0)
    }

    @Test func metadataMustNameAnHTTPSJWKSURL() async throws {
        let issuer = try TestIssuer()
        issuer.serve(TestIssuer.issuer + "/.well-known/oauth-authorization-server",
                     #"{"issuer": "https://id.example.test", "jwks_uri": "http://id.example.test/jwks"}"#)
        #expect(await issuer.verifier().verify(try await issuer.token()) == .invalid(reason: TokenRefusal.keysUnavailable.reason))
        #expect(issuer.hits("/jwks") == 0)
    }

    @Test func configuredJWKSURLSkipsDiscovery() async throws {
        let issuer = try TestIssuer(metadataAt: [])
        let verifier = issuer.verifier(TestIssuer.settings(jwksURL: TestIssuer.issuer + "/jwks"))
        if case .valid = await verifier.verify(try await issuer.token()) {} else { Issue.record("jwks_url") }
        #expect(issuer.totalHits == 1 && issuer.hits("/jwks") == 1)
    }

    @Test func concurrentVerifiesShareOneFetch() async throws {
        let issuer = try TestIssuer()
        issuer.setDelay(.milliseconds(100))
        let verifier = issuer.verifier()
        var tokens: [String] = []
        for index in 0..<20 { tokens.append(try await issuer.token(["sub": .string("user\(index)")])) }
        let valid = await withTaskGroup(of: Bool.self) { group in
            for token in tokens {
                group.addTask { if case .valid = await verifier.verify(token) { true } else { false } }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(valid == 20)
        #expect(issuer.hits("/jwks") == 1 && issuer.hits("/.well-known/oauth-authorization-server") == 1)
    }

    @Test func unknownKidRefetchesAtMostOnceAMinute() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        if case .valid = await verifier.verify(try await issuer.token()) {} else { Issue.record("first token") }
        #expect(issuer.hits("/jwks") == 1)

        // A key added after the first fetch (rotation): its first token refetches and is accepted.
        try issuer.addKey(try issuer.rsaJWK(kid: "rsa-2"))
        issuer.clock.advance(by: 61)
        if case .valid = await verifier.verify(try await issuer.token(kid: "rsa-2")) {} else { Issue.record("rotated key") }
        #expect(issuer.hits("/jwks") == 2)

        // A flood of invented kids within the minute: refused, no fetch.
        for index in 0..<50 {
            let verdict = await verifier.verify(try await issuer.token(kid: "random-\(index)"))
            #expect(verdict == .invalid(reason: TokenRefusal.unknownKey.reason))
        }
        #expect(issuer.hits("/jwks") == 2)
        // Known kids keep working meanwhile, and the next minute allows one more refetch.
        if case .valid = await verifier.verify(try await issuer.token(["sub": .string("carol")])) {} else { Issue.record("known kid") }
        issuer.clock.advance(by: 61)
        _ = await verifier.verify(try await issuer.token(kid: "random-again"))
        _ = await verifier.verify(try await issuer.token(kid: "random-again-2"))
        #expect(issuer.hits("/jwks") == 3)
        #expect(issuer.hits("/.well-known/oauth-authorization-server") == 1, "the JWKS URL is discovered once")
    }

    @Test func refetchIntervalIsConfigurable() async throws {
        let issuer = try TestIssuer()
        var settings = TestIssuer.settings()
        settings.refetchIntervalSeconds = 10
        let verifier = issuer.verifier(settings)
        await verifier.prefetchKeys()
        issuer.clock.advance(by: 9)
        _ = await verifier.verify(try await issuer.token(kid: "new-1"))
        #expect(issuer.hits("/jwks") == 1)
        issuer.clock.advance(by: 2)
        _ = await verifier.verify(try await issuer.token(kid: "new-2"))
        #expect(issuer.hits("/jwks") == 2)
    }

    @Test func fetchFailureFailsClosedAndIsRetried() async throws {
        let issuer = try TestIssuer()
        issuer.setFailing(true)
        let verifier = issuer.verifier()
        let token = try await issuer.token()
        #expect(await verifier.verify(token) == .invalid(reason: TokenRefusal.keysUnavailable.reason))
        #expect(verifier.cachedVerdict(for: token) == nil, "a fetch failure is never cached")
        // Within the retry interval: refused without another attempt.
        #expect(await verifier.verify(token) == .invalid(reason: TokenRefusal.keysUnavailable.reason))
        #expect(issuer.totalHits == 2, "one attempt: the two discovery URLs, once each")
        issuer.setFailing(false)
        issuer.clock.advance(by: 6)
        if case .valid = await verifier.verify(token) {} else { Issue.record("after recovery") }
    }

    @Test func oldKeySetIsRefreshedAndKeptWhenTheRefreshFails() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        await verifier.prefetchKeys()
        #expect(issuer.hits("/jwks") == 1)
        // An hour later the issuer withdrew the RSA key: the refresh drops it.
        issuer.clock.advance(by: 3601)
        try issuer.publishJWKS([try issuer.ecJWK()])
        #expect(await verifier.verify(try await issuer.token()) == .invalid(reason: TokenRefusal.unknownKey.reason))
        #expect(issuer.hits("/jwks") == 2)
        // Another hour, the issuer is down: the keys held keep working.
        issuer.clock.advance(by: 3601)
        issuer.setFailing(true)
        if case .valid = await verifier.verify(try await issuer.token(signer: .es256, kid: "ec-1")) {} else { Issue.record("stale keys") }
        #expect(issuer.hits("/jwks") == 3)
    }

    @Test func oddKeysAreSkippedNotFatal() async throws {
        let issuer = try TestIssuer(metadataAt: [])
        let rsa = String(decoding: try JSONEncoder().encode(try issuer.rsaJWK()), as: UTF8.self)
        issuer.serve(TestIssuer.issuer + "/jwks", """
            {"keys": [{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
                      {"kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"},
                      {"kty": "EC", "kid": "weird", "crv": "P-999", "x": "AA", "y": "AA"},
                      \(rsa)]}
            """)
        let verifier = issuer.verifier(TestIssuer.settings(jwksURL: TestIssuer.issuer + "/jwks"))
        if case .valid = await verifier.verify(try await issuer.token()) {} else { Issue.record("good key among odd ones") }
        let hmac = try issuer.handMade(header: ["alg": "HS256", "kid": "hmac"], hmacSecret: Array("secret".utf8))
        #expect(await verifier.verify(hmac) == .invalid(reason: TokenRefusal.symmetric("HS256").reason))
        let keys = await IssuerKeySet.importing(jwks: Array(#"{"keys": [{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}]}"#.utf8))
        #expect(keys?.count == 0 && keys?.skipped == 1)
        #expect(await IssuerKeySet.importing(jwks: Array("[]".utf8)) == nil)
        // Past the first hundred keys, none is read.
        let many = try (0..<(IssuerKeySet.maximumKeys + 2)).map { try issuer.rsaJWK(kid: "k\($0)") }
        let capped = await IssuerKeySet.importing(jwks: Array(try JSONEncoder().encode(JWKS(keys: many))))
        #expect(capped?.count == IssuerKeySet.maximumKeys && capped?.skipped == 2)
    }
}
