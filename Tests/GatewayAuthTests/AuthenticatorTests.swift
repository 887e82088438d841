// The gate's identity check over static credentials: bearer token and API keys (by key and by
// digest), the header forms, and what a refusal says.

import GatewayAuth
import GatewayConfig
import Testing

struct AuthenticatorTests {
    let settings = AuthSettings(enabled: true, apiKeys: [
        APIKeySettings(name: "alice", key: "alice-key-1234567890", admin: false),
        APIKeySettings(name: "ops", keySHA256: SecretDigest.hex(of: "ops-key-0987654321"), admin: true),
    ])

    @Test func apiKeysByValueAndByDigestNameTheirPrincipal() {
        let gate = Authenticator(settings: settings, bearerToken: "the-bearer-token")
        #expect(gate.decideNow(PresentedCredentials(authorization: "Bearer alice-key-1234567890"))
            == .allowed(Principal(name: "alice", method: .apiKey, isAdmin: false)))
        #expect(gate.decideNow(PresentedCredentials(apiKey: "ops-key-0987654321"))
            == .allowed(Principal(name: "ops", method: .apiKey, isAdmin: true)))
        #expect(gate.decideNow(PresentedCredentials(authorization: "bearer   the-bearer-token  "))
            == .allowed(Principal(name: "bearer", method: .bearerToken, isAdmin: true)))
    }

    @Test func aMatchedKeyIsRememberedAndANearMissIsNot() {
        let gate = Authenticator(settings: settings, bearerToken: nil)
        let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
        for _ in 0..<3 { #expect(gate.decideNow(PresentedCredentials(apiKey: "alice-key-1234567890")) == .allowed(alice)) }
        guard case .denied = gate.decideNow(PresentedCredentials(apiKey: "alice-key-1234567891")) else {
            Issue.record("a near miss of a remembered key was accepted")
            return
        }
    }

    /// A reload replaces the keys: a removed key is refused even though it was remembered, a new
    /// one is admitted, and a rotated bearer token replaces the old one.
    @Test func replacedKeysAreInForceAtOnce() {
        let gate = Authenticator(settings: settings, bearerToken: "old-bearer-token")
        let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
        for _ in 0..<2 { #expect(gate.decideNow(PresentedCredentials(apiKey: "alice-key-1234567890")) == .allowed(alice)) }
        gate.replaceKeys(apiKeys: [APIKeySettings(name: "carol", key: "carol-key-1234567890", admin: false)],
                         bearerToken: "new-bearer-token")
        for refused in [PresentedCredentials(apiKey: "alice-key-1234567890"), PresentedCredentials(apiKey: "ops-key-0987654321"),
                        PresentedCredentials(authorization: "Bearer old-bearer-token")] {
            guard case .denied = gate.decideNow(refused) else {
                Issue.record("a replaced credential was accepted: \(refused)")
                return
            }
        }
        #expect(gate.decideNow(PresentedCredentials(apiKey: "carol-key-1234567890"))
            == .allowed(Principal(name: "carol", method: .apiKey, isAdmin: false)))
        #expect(gate.decideNow(PresentedCredentials(authorization: "Bearer new-bearer-token"))
            == .allowed(Principal(name: "bearer", method: .bearerToken, isAdmin: true)))
    }

    @Test func missingWrongAndMalformedCredentialsAreRefusedWith401() throws {
        let gate = Authenticator(settings: settings, bearerToken: nil)
        for credentials in [PresentedCredentials(), PresentedCredentials(authorization: "Bearer alice-key-123456789"),
                            PresentedCredentials(authorization: "Basic YWxpY2U6eA=="), PresentedCredentials(apiKey: " "),
                            PresentedCredentials(authorization: "Bearer")] {
            guard case .denied(let challenge) = gate.decideNow(credentials) else {
                Issue.record("allowed \(credentials)")
                continue
            }
            #expect(challenge.status == 401)
            #expect(challenge.wwwAuthenticate.hasPrefix("Bearer realm=\"mcp-gateway\""))
            #expect(!challenge.message.contains("alice-key"))
        }
    }

    @Test func withAuthenticationOffEveryoneIsTheUnauthenticatedAdmin() {
        #expect(Authenticator.open.decideNow(PresentedCredentials(authorization: "Bearer whatever")) == .allowed(.unauthenticated))
        let peer = Principal(name: "cn=agent", method: .clientCertificate, isAdmin: false)
        #expect(Authenticator.open.decideNow(PresentedCredentials(peer: peer)) == .allowed(peer))
    }

    @Test func aClientCertificateIdentifiesACallerWithoutAToken() {
        let gate = Authenticator(settings: settings, bearerToken: nil)
        let peer = Principal(name: "agent-7", method: .clientCertificate, isAdmin: false)
        #expect(gate.decideNow(PresentedCredentials(peer: peer)) == .allowed(peer))
        // A token, when sent, is what decides: a wrong one is refused even over a good certificate.
        guard case .denied = gate.decideNow(PresentedCredentials(authorization: "Bearer nope", peer: peer)) else {
            Issue.record("a wrong token was accepted over a certificate")
            return
        }
    }

    @Test func requiredCertificatesThatNameNobodyAreRefused() {
        let gate = Authenticator(settings: AuthSettings(), bearerToken: nil, clientCertificatesRequired: true)
        guard case .denied(let challenge) = gate.decideNow(PresentedCredentials()) else {
            Issue.record("a connection without a certificate principal became the anonymous admin")
            return
        }
        #expect(challenge.status == 403)
        let peer = Principal(name: "bob", method: .clientCertificate, isAdmin: false)
        #expect(gate.decideNow(PresentedCredentials(peer: peer)) == .allowed(peer))
    }

    @Test func digestsRoundTripThroughHex() {
        let hex = SecretDigest.hex(of: "abc")
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecretDigest.bytes(hex: hex) == SecretDigest.of("abc"))
        #expect(SecretDigest.bytes(hex: String(hex.dropLast())) == nil)
        #expect(SecretDigest.bytes(hex: String(hex.dropLast()) + "g") == nil)
    }
}

struct AuthenticatorKeyChangeTests {
    let keys = [APIKeySettings(name: "alice", key: "alice-key-1234567890", admin: false),
                APIKeySettings(name: "ops", key: "ops-key-0987654321", admin: true)]

    /// A reload says whether it changed what the keys grant: a session granted by the old keys
    /// (the dashboard's) must then end; an unchanged file keeps it.
    @Test func replaceKeysSaysWhetherAnythingChanged() {
        let gate = Authenticator(settings: AuthSettings(enabled: true, apiKeys: keys), bearerToken: "the-bearer-token")
        #expect(!gate.replaceKeys(apiKeys: keys, bearerToken: "the-bearer-token"), "the same keys")
        #expect(gate.replaceKeys(apiKeys: keys, bearerToken: "another-bearer-token"), "a rotated bearer token")
        var demoted = keys
        demoted[1] = APIKeySettings(name: "ops", key: "ops-key-0987654321", admin: false)
        #expect(gate.replaceKeys(apiKeys: demoted, bearerToken: "another-bearer-token"), "an admin no more")
        #expect(gate.replaceKeys(apiKeys: Array(demoted.prefix(1)), bearerToken: "another-bearer-token"), "a key removed")
        #expect(gate.replaceKeys(apiKeys: [APIKeySettings(name: "alice", key: "alice-key-new-123456", admin: false)],
                                 bearerToken: "another-bearer-token"), "a key rotated")
    }
}
