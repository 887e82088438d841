// SHA-256 digests of secrets and their comparison in constant time. Keys are kept as digests
// only (a `key_sha256` config never had the key), and comparing digests of equal length with
// no early exit leaks neither the key's length nor how much of it matched.

import Crypto

public enum SecretDigest {
    /// The SHA-256 of `secret`, 32 bytes.
    public static func of(_ secret: some StringProtocol) -> [UInt8] {
        var hasher = SHA256()
        var copy = String(secret)
        copy.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return Array(hasher.finalize())
    }

    /// Lowercase hex of the SHA-256 of `secret` (what `key_sha256` holds, and `auth hash-key` prints).
    public static func hex(of secret: some StringProtocol) -> String {
        hex(bytes: of(secret))
    }

    /// Lowercase hex of `bytes`.
    public static func hex(bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 32 bytes a 64-digit hex string spells, or nil.
    public static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for pair in stride(from: 0, to: 64, by: 2) {
            guard let high = nibble(utf8[pair]), let low = nibble(utf8[pair + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Equal digests, compared without an early exit.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
