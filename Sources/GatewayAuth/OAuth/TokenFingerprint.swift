// The key of a verified token (or a matched API key) in a cache: a 128-bit keyed hash of the whole token, two runs of
// Swift's SipHash (Hasher, seeded per process) salted with two random per-process values. Hand
// made where SHA-256 would do because it runs on every request carrying a JWT: for a 620-byte
// RS256 token SHA-256 cost ~17k instructions a request (BoringSSL without SHA extensions on this
// machine), ~7% of a relayed call, and this costs a quarter of that (callgrind, BENCHMARKS.md).
// Without the salts nobody can aim for a collision; the token itself is never stored.

public struct TokenFingerprint: Hashable, Sendable {
    let first: Int
    let second: Int

    private static let salts: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()

    public init(of token: String) {
        var first = Hasher(), second = Hasher()
        first.combine(Self.salts.0)
        second.combine(Self.salts.1)
        var copy = token
        copy.withUTF8 { bytes in
            first.combine(bytes: UnsafeRawBufferPointer(bytes))
            second.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
        self.first = first.finalize()
        self.second = second.finalize()
    }
}
