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
    /// `X-API-Key`. An `Authorization` header of another scheme offers none.
    var token: Substring? {
        if let authorization {
            let trimmed = authorization.drop { $0 == " " }
            guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
            let token = trimmed.dropFirst(7).drop { $0 == " " }
            let end = token.lastIndex { $0 != " " }.map { token.index(after: $0) } ?? token.startIndex
            return token[..<end].isEmpty ? nil : token[..<end]
        }
        if let apiKey {
            let token = apiKey[...].drop { $0 == " " }
            return token.isEmpty ? nil : token
        }
        return nil
    }

    /// Whether the request offered something that is not a usable token (a Basic header, say).
    var offeredUnusable: Bool { token == nil && (authorization != nil || apiKey != nil) }
}
