// The HMAC-SHA256 check of a webhook post: the digest of the raw body (or `{timestamp}.{body}`
// when the endpoint names a timestamp header) under the endpoint's secret, compared in constant
// time (swift-crypto's `isValidAuthenticationCode`) with the hex digest the sender put in the
// signature header, bare or `sha256=`-prefixed as GitHub sends it.

import Crypto

enum WebhookSignature {
    /// The digest `header` carries, decoded; nil when it is not a hex SHA-256 digest.
    static func digest(inHeader header: String) -> [UInt8]? {
        var text = Substring(header).drop { $0 == " " }
        if text.lowercased().hasPrefix("sha256=") { text = text.dropFirst("sha256=".count) }
        let hex = Array(text.utf8)
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// Whether `digest` is the HMAC-SHA256 of `signed` under `secret`.
    static func isValid(_ digest: [UInt8], of signed: [UInt8], secret: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(digest, authenticating: signed, using: SymmetricKey(data: Array(secret.utf8)))
    }

    /// The hex digest a sender puts in the header (for tests and documentation examples).
    static func sign(_ signed: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
