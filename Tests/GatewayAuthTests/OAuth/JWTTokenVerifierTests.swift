// The JWT verifier against an in-process issuer: valid RS256 and ES256 tokens become principals;
// every kind of bad token is refused with a reason that names the check and never the token;
// `alg: none`, HS256 keyed with the public key and a key used with another algorithm are refused
// before or at key selection.

import Foundation
import GatewayConfig
import JWTKit
import Testing
@testable import GatewayAuth

@Suite struct JWTTokenVerifierTests {
    @Test func validTokensBecomePrincipals() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier(TestIssuer.settings(adminGroups: ["ops"]))
        let rsa = try await issuer.token(["groups": .array([.string("dev"), .string("ops")]), "scope": .string("mcp:tools mcp:read")])
        #expect(await verifier.verify(rsa) == .valid(Principal(
            name: "alice", method: .oauth, groups: ["dev", "ops"], scopes: ["mcp:tools", "mcp:read"], isAdmin: true)))
        let ec = try await issuer.token(["sub": .string("bob"), "scp": .array([.string("ops")]), "groups": .string("a b")],
                                        signer: .es256, kid: "ec-1")
        #expect(await verifier.verify(ec) == .valid(Principal(name: "bob", method: .oauth, groups: ["a", "b"], scopes: ["ops"], isAdmin: true)))
        let plain = try await issuer.token(["aud": .array([.string("other"), .string(TestIssuer.audience)])])
        #expect(await verifier.verify(plain) == .valid(Principal(name: "alice", method: .oauth, isAdmin: false)))
    }

    @Test func principalClaimIsConfigurable() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier(TestIssuer.settings(principalClaim: "email"))
        #expect(await verifier.verify(try await issuer.token(["email": .string("a@example.com")]))
            == .valid(Principal(name: "a@example.com", method: .oauth, isAdmin: false)))
        #expect(await verifier.verify(try await issuer.token()) == .invalid(reason: "the token has no 'email' claim naming its principal"))
    }

    @Test func badClaimsAreRefused() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        let now = issuer.clock.now
        let cases: [([String: ClaimValue], TokenRefusal)] = [
            (["iss": .string("https://evil.example.test")], .wrongIssuer),
            (["iss": .null], .wrongIssuer),
            (["aud": .string("http://127.0.0.1:8080/other")], .wrongAudience),
            (["aud": .array([.string("a"), .string("b")])], .wrongAudience),
            (["aud": .null], .wrongAudience),
            (["exp": .null], .missingExpiry),
            (["exp": .string("tomorrow")], .missingExpiry),
            (["exp": .number(now - 31)], .expired),
            (["nbf": .number(now + 31)], .notYetValid),
            (["nbf": .string("later")], .malformed),
            (["sub": .null], .missingPrincipal("sub")),
            (["sub": .string("")], .missingPrincipal("sub")),
            (["sub": .number(7)], .missingPrincipal("sub")),
        ]
        for (overrides, refusal) in cases {
            let token = try await issuer.token(overrides)
            let verdict = await verifier.verify(token)
            #expect(verdict == .invalid(reason: refusal.reason), "\(overrides)")
        }
        // Within the leeway both ways.
        if case .valid = await verifier.verify(try await issuer.token(["exp": .number(now - 20), "nbf": .number(now + 20)])) {} else {
            Issue.record("a token within the leeway is valid")
        }
        #expect(verifier.cachedCount == 1, "refusals are not cached")
    }

    @Test func algorithmsThatAreNotTheIssuersAreRefused() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        let none = try issuer.handMade(header: ["alg": "none", "kid": "rsa-1"], hmacSecret: nil)
        #expect(await verifier.verify(none) == .invalid(reason: TokenRefusal.unsigned.reason))
        let noneUpper = try issuer.handMade(header: ["alg": "NONE", "kid": "rsa-1"], hmacSecret: nil)
        #expect(await verifier.verify(noneUpper) == .invalid(reason: TokenRefusal.unsigned.reason))
        // Algorithm confusion: HS256 with the RSA public key's PEM as the secret.
        let confused = try issuer.handMade(header: ["alg": "HS256", "kid": "rsa-1", "typ": "JWT"], hmacSecret: issuer.rsaPublicKeyPEM)
        #expect(await verifier.verify(confused) == .invalid(reason: TokenRefusal.symmetric("HS256").reason))
        let odd = try issuer.handMade(header: ["alg": "RSA-OAEP", "kid": "rsa-1"], hmacSecret: [1])
        #expect(await verifier.verify(odd) == .invalid(reason: TokenRefusal.algorithm("RSA-OAEP").reason))
        #expect(issuer.totalHits == 0, "refused by their header alone: no key was fetched for them")
        // The RSA key is published for RS256: a PS256 token under it is refused, as is an ES256 token naming it.
        let pss = try await issuer.token(signer: .ps256, kid: "rsa-1")
        #expect(await verifier.verify(pss) == .invalid(reason: TokenRefusal.keyAlgorithmMismatch("PS256").reason))
        let ecUnderRSA = try await issuer.token(signer: .es256, kid: "rsa-1")
        #expect(await verifier.verify(ecUnderRSA) == .invalid(reason: TokenRefusal.keyAlgorithmMismatch("ES256").reason))
        let crit = try await issuer.token(header: ["crit": .array([.string("exp")]), "exp": .string("x")])
        #expect(await verifier.verify(crit) == .invalid(reason: TokenRefusal.criticalHeader.reason))
        #expect(issuer.totalHits == 2, "one discovery and one JWKS fetch, for the PS256 token")
    }

    @Test func keyWithoutAlgAcceptsEveryAlgorithmOfItsType() async throws {
        let issuer = try TestIssuer()
        try issuer.publishJWKS([try issuer.rsaJWK(alg: nil), try issuer.ecJWK()])
        let verifier = issuer.verifier()
        for signer in [TestIssuer.Signer.rs256, .ps256] {
            if case .valid = await verifier.verify(try await issuer.token(signer: signer)) {} else { Issue.record("\(signer)") }
        }
        let ecUnderRSA = try await issuer.token(signer: .es256, kid: "rsa-1")
        #expect(await verifier.verify(ecUnderRSA) == .invalid(reason: TokenRefusal.keyAlgorithmMismatch("ES256").reason))
    }

    @Test func signaturesAndShapesAreChecked() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        let good = try await issuer.token()
        let parts = good.split(separator: ".").map(String.init)
        let otherPayload = try await issuer.token(["sub": .string("mallory")]).split(separator: ".")[1]
        let spliced = parts[0] + "." + otherPayload + "." + parts[2]
        #expect(await verifier.verify(spliced) == .invalid(reason: TokenRefusal.badSignature.reason))
        // Signed by a key the issuer does not publish, under the issuer's kid.
        let forged = try await issuer.token(signer: .foreignRS256, kid: "rsa-1")
        #expect(await verifier.verify(forged) == .invalid(reason: TokenRefusal.badSignature.reason))
        for junk in ["a.b.c", "abc", "..", parts[0] + ".!!." + parts[2], String(repeating: "a", count: 20_000)] {
            if case .invalid = await verifier.verify(junk) {} else { Issue.record("junk accepted") }
        }
        #expect(await verifier.verify(String(repeating: "a", count: 20_000)) == .invalid(reason: TokenRefusal.tooLong(16384).reason))
    }

    @Test func edDSAKeysVerify() async throws {
        let issuer = try TestIssuer(metadataAt: [])
        let key = try EdDSA.PrivateKey(curve: .ed25519)
        let jwk = JWK.octetKeyPair(nil, identifier: JWKIdentifier(string: "ed-1"), x: key.publicKey.rawRepresentation.base64URLText(),
                                   y: nil, curve: .ed25519)
        try issuer.publishJWKS([jwk, try issuer.rsaJWK()])
        let verifier = issuer.verifier(TestIssuer.settings(jwksURL: TestIssuer.issuer + "/jwks"))
        let signer = JWTKeyCollection()
        await signer.add(eddsa: key)
        var header = JWTHeader()
        header.kid = "ed-1"
        let token = try await signer.sign(issuer.claims(), header: header)
        #expect(await verifier.verify(token) == .valid(Principal(name: "alice", method: .oauth, isAdmin: false)))
        // The Ed25519 key checks EdDSA only: an RS256 token naming it is refused.
        let rsaUnderEd = try await issuer.token(kid: "ed-1")
        #expect(await verifier.verify(rsaUnderEd) == .invalid(reason: TokenRefusal.keyAlgorithmMismatch("RS256").reason))
    }

    @Test func tokenWithoutKidNeedsASoleKey() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        #expect(await verifier.verify(try await issuer.token(kid: nil)) == .invalid(reason: TokenRefusal.noKeyID.reason))
        let single = try TestIssuer()
        try single.publishJWKS([try single.rsaJWK()])
        if case .valid = await single.verifier().verify(try await single.token(kid: nil)) {} else { Issue.record("sole key") }
    }

    @Test func reasonsNeverRepeatTheToken() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier()
        var tokens = [try await issuer.token(["exp": .null]), try await issuer.token(kid: "nope"), try await issuer.token(["aud": .null])]
        tokens.append(try issuer.handMade(header: ["alg": "HS256\"injected", "kid": "x"], hmacSecret: [1]))
        for token in tokens {
            guard case .invalid(let reason) = await verifier.verify(token) else { Issue.record("accepted"); continue }
            for part in token.split(separator: ".") where part.count > 8 { #expect(!reason.contains(part)) }
            #expect(!reason.contains("\""))
        }
    }
}

@Suite struct JWTPrincipalExpiryTests {
    /// What outlives the request (a dashboard session) is bounded by the token's own `exp`.
    @Test func aVerifiedPrincipalCarriesTheTokensExpiry() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier(TestIssuer.settings())
        let exp = Date().timeIntervalSince1970.rounded(.down) + 120
        guard case .valid(let principal) = await verifier.verify(try await issuer.token(["exp": .number(exp)])) else {
            Issue.record("the token was refused")
            return
        }
        #expect(principal.expiresAt == exp)
        #expect(principal == Principal(name: "alice", method: .oauth, isAdmin: false), "the expiry is not part of who it is")
    }
}
