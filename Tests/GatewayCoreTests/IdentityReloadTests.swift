// What a config reload does to the gate's Authenticator: keys-only edits replace the keys in
// place; `auth.enabled` and the public paths make a new one; an OAuth issuer the file no longer
// names (removed or changed) leaves no token verifier, so every JWT is refused until a restart.

import GatewayAuth
import GatewayConfig
@testable import GatewayServer
import Logging
import Testing

@Suite struct IdentityReloadTests {
    static let oauth = OAuthSettings(issuer: "https://id.example.test", audience: "http://127.0.0.1:8080/mcp")

    static func config(enabled: Bool = true, oauth: OAuthSettings? = IdentityReloadTests.oauth,
                       keys: [APIKeySettings] = [APIKeySettings(name: "a", key: "a-key-1234567890abcd", admin: false)],
                       publicPaths: [String] = ["/health"]) -> GatewayConfig {
        var config = GatewayConfig()
        config.auth = AuthSettings(enabled: enabled, publicPaths: publicPaths, apiKeys: keys, oauth: oauth)
        return config
    }

    /// Made by hand rather than by `FrontEndIdentity.make`, which starts fetching the issuer's
    /// keys (tests talk to 127.0.0.1 only).
    static func identity() throws -> FrontEndIdentity {
        let server = try OAuthResourceServer(settings: oauth, logger: Logger(label: "test"))
        let authenticator = Authenticator(settings: config().auth, bearerToken: nil, tokenVerifier: server.verifier,
                                          resourceMetadataURL: server.metadataURL)
        return FrontEndIdentity(authenticator: authenticator, oauth: server, oauthSettings: oauth)
    }

    @Test func aKeysOnlyEditKeepsTheAuthenticator() throws {
        let identity = try Self.identity()
        let before = identity.authenticator
        #expect(before.verifiesTokens)
        identity.reload(from: Self.config(keys: [APIKeySettings(name: "b", key: "b-key-1234567890abcd", admin: false)]))
        #expect(identity.authenticator === before)
        guard case .denied = identity.authenticator.decideNow(PresentedCredentials(apiKey: "a-key-1234567890abcd")) else {
            Issue.record("a removed key was admitted")
            return
        }
        #expect(identity.authenticator.decideNow(PresentedCredentials(apiKey: "b-key-1234567890abcd"))
            == .allowed(Principal(name: "b", method: .apiKey, isAdmin: false)))
    }

    @Test func anIssuerRemovedOrChangedVerifiesNothingUntilARestart() throws {
        let identity = try Self.identity()
        identity.reload(from: Self.config(oauth: nil))
        #expect(!identity.authenticator.verifiesTokens)
        identity.reload(from: Self.config(oauth: OAuthSettings(issuer: "https://other.example.test", audience: "http://127.0.0.1:8080/mcp")))
        #expect(!identity.authenticator.verifiesTokens)
        // The issuer of the start again: its verifier is back.
        identity.reload(from: Self.config())
        #expect(identity.authenticator.verifiesTokens)
    }

    @Test func enabledAndPublicPathsSwitch() throws {
        let identity = try Self.identity()
        identity.reload(from: Self.config(enabled: false))
        #expect(!identity.authenticator.isRequired && !identity.callersIdentified)
        identity.reload(from: Self.config(publicPaths: []))
        #expect(identity.authenticator.isRequired && identity.callersIdentified)
        #expect(!identity.authenticator.isPublic(path: "/health"))
    }
}
