// The JOSE header of a JWT, read before any key is chosen: which algorithm and which key the
// token claims. Only asymmetric signature algorithms are accepted; `none` and HMAC (HS*) are
// refused here, before any key lookup, so an HS256 token "signed" with the issuer's public key
// (algorithm confusion) never reaches a verifier.

import Foundation

struct JWTHeaderFields: Sendable, Equatable {
    /// The algorithms a token may be signed with: the issuer's public keys can check only these.
    static let acceptedAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    let algorithm: String
    let keyID: String?

    /// The header of `token`, or why the token is refused before its signature is looked at.
    static func parse(_ token: String) -> Result<JWTHeaderFields, TokenRefusal> {
        let utf8 = token.utf8
        guard let firstDot = utf8.firstIndex(of: UInt8(ascii: ".")) else { return .failure(.malformed) }
        guard let json = Base64URL.decode(utf8[..<firstDot]),
              let raw = try? JSONDecoder().decode(RawHeader.self, from: Data(json)) else {
            return .failure(.malformed)
        }
        guard let algorithm = raw.alg else { return .failure(.malformed) }
        if algorithm.lowercased() == "none" { return .failure(.unsigned) }
        if algorithm.uppercased().hasPrefix("HS") { return .failure(.symmetric(algorithm)) }
        guard acceptedAlgorithms.contains(algorithm) else { return .failure(.algorithm(algorithm)) }
        // RFC 7515 §4.1.11: extensions a verifier does not understand must make it reject the token.
        if raw.crit != nil { return .failure(.criticalHeader) }
        return .success(JWTHeaderFields(algorithm: algorithm, keyID: raw.kid))
    }

    private struct RawHeader: Decodable {
        let alg: String?
        let kid: String?
        let crit: [String]?
    }
}

/// Why a token is not valid. Each reason names the check that failed, never the token.
enum TokenRefusal: Error, Sendable, Equatable {
    case tooLong(Int)
    case malformed
    case unsigned
    case symmetric(String)
    case algorithm(String)
    case criticalHeader
    case noKeyID
    case unknownKey
    case keyAlgorithmMismatch(String)
    case keysUnavailable
    case badSignature
    case wrongIssuer
    case wrongAudience
    case missingExpiry
    case expired
    case notYetValid
    case missingPrincipal(String)

    var reason: String {
        switch self {
        case .tooLong(let limit): "the token is longer than \(limit) bytes"
        case .malformed: "the token is not a well-formed JWT"
        case .unsigned: "unsigned tokens (alg 'none') are not accepted"
        case .symmetric(let alg): "tokens signed with a shared secret (alg '\(Self.printable(alg))') are not accepted"
        case .algorithm(let alg): "the token's algorithm '\(Self.printable(alg))' is not accepted"
        case .criticalHeader: "the token has critical header extensions ('crit') this gateway does not understand"
        case .noKeyID: "the token names no key ('kid') and the issuer has several"
        case .unknownKey: "the token was signed with a key the issuer does not publish"
        case .keyAlgorithmMismatch(let alg): "the issuer's key does not sign with the token's algorithm '\(alg)'"
        case .keysUnavailable: "the issuer's signing keys could not be fetched"
        case .badSignature: "the token's signature does not verify"
        case .wrongIssuer: "the token was not issued by the configured issuer"
        case .wrongAudience: "the token was not issued for this resource (audience)"
        case .missingExpiry: "the token has no expiry ('exp')"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet ('nbf')"
        case .missingPrincipal(let claim): "the token has no '\(Self.printable(claim))' claim naming its principal"
        }
    }

    /// A header value echoed in a reason: short, printable ASCII, no quotes.
    private static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(32) where scalar.value >= 0x20 && scalar.value < 0x7f && scalar != "\"" && scalar != "\\" {
            scalars.append(scalar)
        }
        return String(scalars)
    }
}

/// base64url without padding (RFC 7515 §2), as JWTs use it.
enum Base64URL {
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for character in text {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return bits >= 6 ? nil : output  // a lone trailing character encodes no whole byte
    }
}
