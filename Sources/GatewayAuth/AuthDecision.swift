// The gate's answer for one request: the caller, or the refusal the front end sends back
// (status, `WWW-Authenticate` and a message for the JSON-RPC error body).

public enum AuthDecision: Sendable, Equatable {
    case allowed(Principal)
    case denied(AuthChallenge)
}

/// A refusal: 401 (no or bad credential) or 403 (a valid token lacking a required scope).
public struct AuthChallenge: Sendable, Equatable {
    public var status: Int
    /// The `WWW-Authenticate` header (RFC 6750 §3, with RFC 9728's `resource_metadata`).
    public var wwwAuthenticate: String
    /// Said to the client; names no secret and no token.
    public var message: String

    public init(status: Int, wwwAuthenticate: String, message: String) {
        self.status = status
        self.wwwAuthenticate = wwwAuthenticate
        self.message = message
    }
}
