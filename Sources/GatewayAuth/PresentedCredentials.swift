// What a request offers as proof of identity, read from its headers and its connection. Front
// ends fill it; only the Authenticator looks inside.

public struct PresentedCredentials: Sendable {
    /// The `Authorization` header's value.
    public var authorization: String?
    /// The `X-API-Key` header's value.
    public var apiKey: String?
    /// The principal named by the connection's verified client certificate (mTLS).
    public var peer: Principal?

    public init(authorization: String? = nil, apiKey: String? = nil, peer: Principal? = nil) {
        self.authorization = authorization
        self.apiKey = apiKey
        self.peer = peer
    }

    /// The token offered: `Authorization: Bearer <token>` (scheme case-insensitive), else
    /// `X-API-Key`. An `Authorization` header of another scheme offers none. Scanned as UTF-8
    /// bytes: a JWT is hundreds of bytes, and Character-wise trimming and counting (grapheme
    /// breaking) cost ~60k instructions a request where this costs a few hundred.
    var token: Substring? {
        if let authorization {
            let bytes = authorization.utf8
            var start = bytes.startIndex
            while start != bytes.endIndex, bytes[start] == UInt8(ascii: " ") { start = bytes.index(after: start) }
            let scheme = Array("bearer".utf8)
            var index = start
            for expected in scheme {
                guard index != bytes.endIndex, bytes[index] | 0x20 == expected else { return nil }
                index = bytes.index(after: index)
            }
            guard index != bytes.endIndex, bytes[index] == UInt8(ascii: " ") else { return nil }
            return Self.trimmed(authorization[index...])
        }
        return apiKey.flatMap { Self.trimmed($0[...]) }
    }

    /// `text` without leading and trailing spaces; nil when nothing is left.
    private static func trimmed(_ text: Substring) -> Substring? {
        let bytes = text.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start != end, bytes[start] == UInt8(ascii: " ") { start = bytes.index(after: start) }
        while end != start, bytes[bytes.index(before: end)] == UInt8(ascii: " ") { end = bytes.index(before: end) }
        return start == end ? nil : text[start..<end]
    }

    /// Whether the request offered something that is not a usable token (a Basic header, say).
    var offeredUnusable: Bool { token == nil && (authorization != nil || apiKey != nil) }
}
