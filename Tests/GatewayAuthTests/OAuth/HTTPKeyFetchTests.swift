// The real key fetch (AsyncHTTPClient) against an issuer on 127.0.0.1: discovery and JWKS over
// HTTP end to end, a non-200 answer, a redirect and an oversized document refused.

import LoopbackTestServer
import Foundation
import GatewayConfig
import JWTKit
import Logging
import Synchronization
import Testing
@testable import GatewayAuth

@Suite struct HTTPKeyFetchTests {
    @Test func verifierFetchesKeysOverHTTP() async throws {
        let issuer = try TestIssuer()
        let jwks = String(decoding: try JSONEncoder().encode(JWKS(keys: [try issuer.rsaJWK()])), as: UTF8.self)
        let origin = SharedText("")
        let server = try await LoopbackServer { request in
            switch request.path {
            case "/.well-known/oauth-authorization-server":
                let base = origin.value
                return .json(#"{"issuer": "\#(base)", "jwks_uri": "\#(base)/jwks"}"#)
            case "/jwks": return .json(jwks)
            default: return .json("{}", status: 404)
            }
        }
        origin.value = server.origin
        defer { Task { await server.stop() } }
        let settings = OAuthSettings(issuer: server.origin, audience: TestIssuer.audience)
        let verifier = JWTTokenVerifier(settings: settings, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let token = try await issuer.token(["iss": .string(server.origin)])
        #expect(await verifier.verify(token) == .valid(Principal(name: "alice", method: .oauth, isAdmin: false)))
        #expect(server.requests.map(\.path) == ["/.well-known/oauth-authorization-server", "/jwks"])
        #expect(server.requests.allSatisfy { $0.method == "GET" && $0.header("Authorization") == nil },
                "nothing of the client's reaches the issuer")
    }

    @Test func badAnswersAreRefused() async throws {
        let big = String(repeating: " ", count: IssuerKeyFetcher.maximumDocumentBytes + 1)
        let server = try await LoopbackServer { request in
            switch request.path {
            case "/big": return .json("{\"keys\": []" + big + "}")
            case "/moved": return CannedReply(status: 302, headers: [("Location", "/jwks")], body: "")
            case "/jwks": return .json(#"{"keys": []}"#)
            default: return .json("{}", status: 404)
            }
        }
        defer { Task { await server.stop() } }
        await #expect(throws: IssuerKeyFetcher.Failure.self) { try await IssuerKeyFetcher.http(server.origin + "/missing") }
        await #expect(throws: IssuerKeyFetcher.Failure.self) { try await IssuerKeyFetcher.http(server.origin + "/big") }
        await #expect(throws: IssuerKeyFetcher.Failure.self) { try await IssuerKeyFetcher.http(server.origin + "/moved") }
        #expect(try await IssuerKeyFetcher.http(server.origin + "/jwks") == Array(#"{"keys": []}"#.utf8))
        #expect(server.requests.filter { $0.path == "/jwks" }.count == 1, "the redirect was not followed")
    }
}

/// A value set after the server started (its own origin), read by the server's handler.
private final class SharedText: Sendable {
    private let storage: Mutex<String>
    init(_ value: String) { storage = .init(value) }
    var value: String {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
