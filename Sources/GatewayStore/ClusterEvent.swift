// What one instance tells the others through the database (`NOTIFY mcp_gateway_events`). The
// payload is short text: a kind and its argument. Notifications sent while an instance is not
// listening are lost (PostgreSQL keeps none), so every (re)start of the listener re-reads the
// state it covers (ClusterStore.listen's `synced`).

public enum ClusterEvent: Sendable, Equatable {
    /// A sealed session id was ended by DELETE (16 bytes of its SHA-256), to be refused until
    /// `expires` (seconds since 1970).
    case sessionEnded(idHash: [UInt8], expires: Int)
    /// A kind this binary does not know (a newer instance's): ignored, not an error.
    case unknown(String)

    static let channel = "mcp_gateway_events"

    var payload: String {
        switch self {
        case .sessionEnded(let hash, let expires): "ended:" + hash.map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined() + ":\(expires)"
        case .unknown(let text): text
        }
    }

    init(payload: String) {
        let parts = payload.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "ended", let hash = Self.bytes(ofHex: parts[1]), hash.count == 16,
           let expires = Int(parts[2]) {
            self = .sessionEnded(idHash: hash, expires: expires)
        } else {
            self = .unknown(payload)
        }
    }

    private static func bytes(ofHex text: Substring) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
