// The cluster's key ring: AES-256-GCM keys shared by every instance of one service, newest
// first. Tokens are sealed with the newest key and opened with whichever key sealed them, so
// a key can be rotated in (added in front everywhere) and out (dropped once no live token
// needs it) without ending anyone's session. Each token names its key by a short id (a hash
// of the key), so opening tries one key, not all of them, and a token under a retired key is
// refused at once.

import Crypto
import Foundation

public struct SealingKeyRing: Sendable {
    struct Entry: Sendable {
        let id: String
        let key: SymmetricKey
    }

    let entries: [Entry]

    /// The key ring from base64 keys (standard or URL alphabet, padding optional), newest first;
    /// each must decode to exactly 32 bytes, and no key may appear twice.
    public init(base64Keys: [String]) throws(SealingKeyError) {
        guard !base64Keys.isEmpty else { throw .empty }
        var entries: [Entry] = []
        for (position, text) in base64Keys.enumerated() {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = TokenBase64.decode(trimmed) else { throw .notBase64(position: position) }
            guard bytes.count == 32 else { throw .wrongLength(position: position, bytes: bytes.count) }
            let entry = Entry(id: Self.keyID(of: bytes), key: SymmetricKey(data: bytes))
            if let first = entries.firstIndex(where: { $0.id == entry.id }) { throw .duplicate(position: position, first: first) }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// A ring of one new random key: what an instance without configured keys uses, so its
    /// tokens are sealed the same way but open only in this process.
    public static func ephemeral() -> SealingKeyRing {
        SealingKeyRing(entries: [Entry(id: "local", key: SymmetricKey(size: .bits256))])
    }

    private init(entries: [Entry]) {
        self.entries = entries
    }

    /// A new random key in base64, as `mcp-gateway cluster new-key` prints it.
    public static func newKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public var keyCount: Int { entries.count }

    /// Seals `plaintext` with the newest key. `purpose` is authenticated but not stored: a
    /// token sealed for one purpose (a session id) does not open as another (a request state).
    public func seal(_ plaintext: some DataProtocol, purpose: String) -> String? {
        guard let newest = entries.first,
              let box = try? AES.GCM.seal(plaintext, using: newest.key, authenticating: Data(purpose.utf8)),
              let combined = box.combined else { return nil }
        return "v1." + newest.id + "." + TokenBase64.encode(combined)
    }

    /// The plaintext of `token`, or nil when no key of the ring sealed it for `purpose`, or it
    /// was altered.
    public func open(_ token: some StringProtocol, purpose: String) -> [UInt8]? {
        let parts = token.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1",
              let entry = entries.first(where: { $0.id == parts[1] }),
              let combined = TokenBase64.decode(parts[2]),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plain = try? AES.GCM.open(box, using: entry.key, authenticating: Data(purpose.utf8)) else { return nil }
        return Array(plain)
    }

    /// Eight base64url characters of the key's SHA-256: names the key without revealing it.
    static func keyID(of key: [UInt8]) -> String {
        String(TokenBase64.encode(Data(SHA256.hash(data: key))).prefix(8))
    }
}

public enum SealingKeyError: Error, Equatable, CustomStringConvertible {
    case empty
    case notBase64(position: Int)
    case wrongLength(position: Int, bytes: Int)
    case duplicate(position: Int, first: Int)

    public var description: String {
        switch self {
        case .empty:
            "no session key given (make one with `mcp-gateway cluster new-key`)"
        case .notBase64(let position):
            "session key \(position + 1) is not base64 (make one with `mcp-gateway cluster new-key`)"
        case .wrongLength(let position, let bytes):
            "session key \(position + 1) is \(bytes) bytes; a key is 32 random bytes in base64 (`mcp-gateway cluster new-key`)"
        case .duplicate(let position, let first):
            "session key \(position + 1) repeats key \(first + 1)"
        }
    }
}
