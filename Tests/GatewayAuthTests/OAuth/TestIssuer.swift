// A test issuer made in-process: an RSA and an ES256 key pair, their JWKS and metadata served
// through the verifier's injected fetch (with hit counts and switchable failures), tokens signed
// by jwt-kit, hand-made tokens for what no signer produces (`alg: none`, HS256 keyed with the
// public key's PEM), and a clock the tests move.

import _CryptoExtras
import Crypto
import Foundation
import GatewayConfig
import JWTKit
import Logging
import Synchronization
@testable import GatewayAuth

final class TestClock: Sendable {
    private let time = Mutex(Date().timeIntervalSince1970)
    var now: Double { time.withLock { $0 } }
    func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}

/// An RSA key pair, made once per run (2048-bit generation is slow in debug builds).
let sharedRSAKey: JWTKit.Insecure.RSA.PrivateKey = {
    do { return try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)) } catch {
        fatalError("RSA key generation failed: \(error)")
    }
}()

let sharedSecondRSAKey: JWTKit.Insecure.RSA.PrivateKey = {
    do { return try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)) } catch {
        fatalError("RSA key generation failed: \(error)")
    }
}()

final class TestIssuer: Sendable {
    static let issuer = "https://id.example.test"
    static let audience = "http://127.0.0.1:8080/mcp"

    let rsaKey = sharedRSAKey
    let ecKey = ES256PrivateKey()
    let clock = TestClock()
    private struct State {
        var documents: [String: [UInt8]] = [:]
        var hits: [String: Int] = [:]
        var failing = false
        var delay: Duration = .zero
        var extraKeys: [JWK] = []
    }
    private let state = Mutex(State())

    init(metadataAt paths: [String] = ["/.well-known/oauth-authorization-server"], metadataIssuer: String = TestIssuer.issuer) throws {
        let metadata = try JSONSerialization.data(withJSONObject: ["issuer": metadataIssuer, "jwks_uri": Self.issuer + "/jwks"])
        state.withLock { state in
            for path in paths { state.documents[Self.issuer + path] = Array(metadata) }
        }
        try publishJWKS()
    }

    func rsaJWK(kid: String = "rsa-1", alg: JWK.Algorithm? = .rs256) throws -> JWK {
        let (modulus, exponent) = try rsaKey.publicKey.getKeyPrimitives()
        return JWK.rsa(alg, identifier: JWKIdentifier(string: kid), modulus: modulus.base64URLText(),
                       exponent: exponent.base64URLText())
    }

    func ecJWK(kid: String = "ec-1") throws -> JWK {
        guard let parameters = ecKey.publicKey.parameters else { throw TestError("no EC parameters") }
        return JWK.ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: parameters.x, y: parameters.y, curve: .p256)
    }

    /// Serves the JWKS: the RSA and EC keys plus any added ones (`keys` replaces the lot).
    func publishJWKS(_ keys: [JWK]? = nil) throws {
        let all = try keys ?? [rsaJWK(), ecJWK()] + state.withLock { $0.extraKeys }
        let body = try JSONEncoder().encode(JWKS(keys: all))
        state.withLock { $0.documents[Self.issuer + "/jwks"] = Array(body) }
    }

    func serve(_ url: String, _ body: String) { state.withLock { $0.documents[url] = Array(body.utf8) } }

    func addKey(_ jwk: JWK) throws {
        state.withLock { $0.extraKeys.append(jwk) }
        try publishJWKS()
    }

    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }
    func setDelay(_ delay: Duration) { state.withLock { $0.delay = delay } }
    func hits(_ path: String) -> Int { state.withLock { $0.hits[Self.issuer + path] ?? 0 } }
    var totalHits: Int { state.withLock { $0.hits.values.reduce(0, +) } }

    var fetch: DocumentFetch {
        { [self] url in
            let (body, failing, delay) = state.withLock { state in
                state.hits[url, default: 0] += 1
                return (state.documents[url], state.failing, state.delay)
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            if failing { throw TestError("connection refused") }
            guard let body else { throw TestError("HTTP 404") }
            return body
        }
    }

    func verifier(_ settings: OAuthSettings? = nil, cacheCapacity: Int = 100) -> JWTTokenVerifier {
        var settings = settings ?? Self.settings()
        settings.cacheSize = cacheCapacity
        var timing = JWTTokenVerifier.Timing()
        timing.refetchInterval = Double(settings.refetchIntervalSeconds)
        return JWTTokenVerifier(settings: settings, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                fetch: fetch, timing: timing, now: { [clock] in clock.now })
    }

    static func settings(requiredScopes: [String] = [], adminGroups: [String] = [], principalClaim: String = "sub",
                         jwksURL: String? = nil, leeway: Int = 30) -> OAuthSettings {
        OAuthSettings(issuer: issuer, audience: audience, jwksURL: jwksURL, requiredScopes: requiredScopes,
                      principalClaim: principalClaim, adminGroups: adminGroups, leewaySeconds: leeway)
    }

    /// Standard claims for now, with `overrides` applied (`.null` removes a claim).
    func claims(_ overrides: [String: ClaimValue] = [:]) -> JWTClaimSet {
        let now = clock.now.rounded(.down)
        var claims: [String: ClaimValue] = [
            "iss": .string(Self.issuer), "aud": .string(Self.audience), "sub": .string("alice"),
            "iat": .number(now), "exp": .number(now + 300),
        ]
        for (name, value) in overrides { claims[name] = value == .null ? nil : value }
        return JWTClaimSet(claims: claims)
    }

    enum Signer { case rs256, ps256, es256, foreignRS256 }

    func token(_ overrides: [String: ClaimValue] = [:], signer: Signer = .rs256, kid: String? = "rsa-1",
               header extra: [String: JWTHeaderField] = [:]) async throws -> String {
        let keys = JWTKeyCollection()
        switch signer {
        case .rs256: await keys.add(rsa: rsaKey, digestAlgorithm: .sha256)
        case .ps256: await keys.add(pss: rsaKey, digestAlgorithm: .sha256)
        case .es256: await keys.add(ecdsa: ecKey)
        case .foreignRS256: await keys.add(rsa: sharedSecondRSAKey, digestAlgorithm: .sha256)
        }
        var header = JWTHeader()
        if let kid { header.kid = kid }
        for (name, value) in extra { header.fields[name] = value }
        return try await keys.sign(claims(overrides), header: header)
    }

    /// A token with the given header, signed by HMAC-SHA256 with `secret` (or unsigned).
    func handMade(header: [String: String], _ overrides: [String: ClaimValue] = [:], hmacSecret: [UInt8]?) throws -> String {
        let head = try JSONEncoder().encode(header).base64URLText()
        let body = try JSONEncoder().encode(claims(overrides)).base64URLText()
        let input = head + "." + body
        guard let hmacSecret else { return input + "." }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: hmacSecret))
        return input + "." + Data(mac).base64URLText()
    }

    var rsaPublicKeyPEM: [UInt8] { Array(rsaKey.publicKey.pemRepresentation.utf8) }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Data {
    func base64URLText() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
