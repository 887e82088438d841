// RFC 9728 metadata: its URL inserts the well-known prefix between origin and resource path, it
// is served at both the path-suffixed and the root well-known path, and the document names the
// resource, the issuer and the required scopes. And the gate with the verifier behind it:
// a cached token answers without I/O, a missing scope is a 403 naming the scopes.

import Foundation
import GatewayConfig
import Logging
import Testing
@testable import GatewayAuth

@Suite struct ProtectedResourceMetadataTests {
    @Test func urlAndPaths() throws {
        let settings = OAuthSettings(issuer: "https://id.example.test", audience: "http://127.0.0.1:8080/mcp", requiredScopes: ["mcp:tools"])
        let server = try OAuthResourceServer(settings: settings, logger: Logger(label: "test"))
        #expect(server.metadataURL == "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp")
        #expect(server.metadataPaths == ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(server.metadataDocument)) as? [String: Any])
        #expect(document["resource"] as? String == "http://127.0.0.1:8080/mcp")
        #expect(document["authorization_servers"] as? [String] == ["https://id.example.test"])
        #expect(document["scopes_supported"] as? [String] == ["mcp:tools"])
        #expect(document["bearer_methods_supported"] as? [String] == ["header"])
        #expect(document["resource_name"] as? String == "mcp-gateway")

        let root = try #require(ProtectedResourceMetadata(settings: OAuthSettings(issuer: "https://id.example.test", audience: "https://gw.example.com/")))
        #expect(root.url == "https://gw.example.com/.well-known/oauth-protected-resource")
        #expect(root.paths == ["/.well-known/oauth-protected-resource"])
        #expect(throws: OAuthResourceServer.SetupError.self) {
            try OAuthResourceServer(settings: OAuthSettings(issuer: "https://id.example.test", audience: "api://mcp"), logger: Logger(label: "t"))
        }
    }

    @Test func gateUsesTheVerifier() async throws {
        let issuer = try TestIssuer()
        let verifier = issuer.verifier(TestIssuer.settings(requiredScopes: ["mcp:tools"]))
        let gate = Authenticator(settings: AuthSettings(enabled: true, oauth: TestIssuer.settings()), bearerToken: nil,
                                 tokenVerifier: verifier, resourceMetadataURL: "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp")
        let token = try await issuer.token(["scope": .string("mcp:tools")])
        let credentials = PresentedCredentials(authorization: "Bearer " + token)
        #expect(gate.decideNow(credentials) == nil, "not verified yet: needs the async path")
        let decision = await gate.decide(credentials)
        #expect(decision == .allowed(Principal(name: "alice", method: .oauth, scopes: ["mcp:tools"], isAdmin: false)))
        #expect(gate.decideNow(credentials) == decision, "cached: answered without I/O")

        let scopeless = PresentedCredentials(authorization: "Bearer " + (try await issuer.token()))
        guard case .denied(let challenge) = await gate.decide(scopeless) else { Issue.record("no scope allowed"); return }
        #expect(challenge.status == 403)
        #expect(challenge.wwwAuthenticate.contains("error=\"insufficient_scope\"") && challenge.wwwAuthenticate.contains("scope=\"mcp:tools\""))
        #expect(challenge.wwwAuthenticate.contains("resource_metadata=\"http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp\""))

        let expired = PresentedCredentials(authorization: "Bearer " + (try await issuer.token(["exp": .number(issuer.clock.now - 100)])))
        guard case .denied(let refusal) = await gate.decide(expired) else { Issue.record("expired allowed"); return }
        #expect(refusal.status == 401 && refusal.wwwAuthenticate.contains("error=\"invalid_token\""))
    }
}
