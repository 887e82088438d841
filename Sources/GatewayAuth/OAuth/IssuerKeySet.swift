// The issuer's public keys, imported from a JWKS document: for each key, the algorithms it may
// verify (its own `alg` if it names one, else what its type and curve allow) and one jwt-kit
// verifier per algorithm. A token whose header algorithm is not among its key's is refused, so an
// RSA key never checks an ES256 token nor a PS256 key an RS256 one. Keys for encryption
// (`use: enc`), symmetric keys and keys jwt-kit cannot read are left out, not fatal: one odd key
// must not take the issuer's other keys down with it.

import Foundation
import JWTKit

struct IssuerKey: Sendable {
    /// The key's `kid`, nil when the JWKS gave none.
    let keyID: String?
    /// A verifier holding only this key, per algorithm it may verify.
    let verifiers: [String: JWTKeyCollection]
}

struct IssuerKeySet: Sendable {
    let keys: [String: IssuerKey]
    /// The key for tokens without a `kid`: only when the issuer publishes exactly one.
    let soleKey: IssuerKey?
    /// Usable keys in the document, and keys left out (for the log).
    let count: Int
    let skipped: Int

    func key(for keyID: String?) -> Result<IssuerKey, TokenRefusal> {
        if let keyID {
            guard let key = keys[keyID] else { return .failure(.unknownKey) }
            return .success(key)
        }
        guard let soleKey else { return .failure(count == 0 ? .unknownKey : .noKeyID) }
        return .success(soleKey)
    }

    /// Keys read from one document at most; issuers publish a handful (current, next, previous).
    static let maximumKeys = 100

    /// Reads a JWKS document (`{"keys": [...]}`); nil when it is not one.
    static func importing(jwks document: [UInt8]) async -> IssuerKeySet? {
        guard let parsed = try? JSONDecoder().decode(Document.self, from: Data(document)) else { return nil }
        var keys: [String: IssuerKey] = [:]
        var usable: [IssuerKey] = []
        var skipped = 0
        for (index, entry) in parsed.keys.enumerated() {
            guard index < maximumKeys else {
                skipped += 1
                continue
            }
            guard let jwk = entry.jwk, entry.use == nil || entry.use == "sig",
                  let key = await issuerKey(jwk, placeholderID: "#\(index)") else {
                skipped += 1
                continue
            }
            if let keyID = key.keyID {
                if keys[keyID] != nil { skipped += 1; continue }  // a repeated kid is ambiguous: the first one wins
                keys[keyID] = key
            }
            usable.append(key)
        }
        return IssuerKeySet(keys: keys, soleKey: usable.count == 1 ? usable[0] : nil, count: usable.count, skipped: skipped)
    }

    /// The algorithms `jwk` may verify; empty when it is not a usable signing key.
    static func algorithms(for jwk: JWK) -> [String] {
        let own = jwk.algorithm?.rawValue
        let candidates: [String]
        switch jwk.keyType.rawValue {
        case "RSA": candidates = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        case "EC":
            switch jwk.curve?.rawValue {
            case "P-256": candidates = ["ES256"]
            case "P-384": candidates = ["ES384"]
            case "P-521": candidates = ["ES512"]
            default: candidates = []
            }
        case "OKP": candidates = jwk.curve?.rawValue == "Ed25519" ? ["EdDSA"] : []
        default: candidates = []
        }
        guard let own else { return candidates }
        return candidates.contains(own) ? [own] : []
    }

    private static func issuerKey(_ jwk: JWK, placeholderID: String) async -> IssuerKey? {
        let keyID = jwk.keyIdentifier?.string
        var verifiers: [String: JWTKeyCollection] = [:]
        for algorithm in algorithms(for: jwk) {
            var pinned = jwk
            pinned.algorithm = JWK.Algorithm(rawValue: algorithm)
            pinned.keyIdentifier = JWKIdentifier(string: keyID ?? placeholderID)
            let collection = JWTKeyCollection()
            do {
                try await collection.add(jwk: pinned)
                _ = try await collection.getKey(for: pinned.keyIdentifier)  // builds the key now: a bad one is skipped here
            } catch {
                continue
            }
            verifiers[algorithm] = collection
        }
        return verifiers.isEmpty ? nil : IssuerKey(keyID: keyID, verifiers: verifiers)
    }

    private struct Document: Decodable {
        let keys: [Entry]
    }

    /// One key of the document: the JWK if jwt-kit can read it, and its `use`.
    private struct Entry: Decodable {
        let jwk: JWK?
        let use: String?

        private enum CodingKeys: String, CodingKey { case use }

        init(from decoder: any Decoder) throws {
            jwk = try? JWK(from: decoder)
            use = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .use)
        }
    }
}
