// Who is behind a request: every front end attaches one to every request before anything is
// dispatched, and every later policy decides on it. Made only by the gate (Authenticator) or
// by a front end whose caller owns the process (stdio).

/// An authenticated (or deliberately unauthenticated) caller. A class, not a struct: every
/// request context, call and session carries one, and passing a reference costs one retain where
/// a struct of two strings and two arrays costs four (measured on the relayed call, BENCHMARKS.md).
public final class Principal: Sendable, Hashable, CustomStringConvertible {
    /// How the caller proved who it is.
    public enum Method: String, Sendable, Hashable {
        /// Authentication is off: every caller is this one anonymous principal.
        case unauthenticated
        /// The single `auth.bearer_token`.
        case bearerToken = "bearer_token"
        /// One of `auth.api_keys`.
        case apiKey = "api_key"
        /// A JWT from the OAuth issuer (`auth.oauth`).
        case oauth
        /// A client certificate signed by `mtls.ca_cert`.
        case clientCertificate = "client_certificate"
        /// Whoever started the stdio front end (`auth.stdio_principal`).
        case stdio
    }

    /// The caller's name: an API key's name, the token's principal claim, the certificate's CN or SAN.
    public let name: String
    public let method: Method
    /// Groups from the token's groups claim (OAuth), empty otherwise.
    public let groups: [String]
    /// Scopes the token grants (OAuth), empty otherwise.
    public let scopes: [String]
    /// May see everything (the full /health) and, in later policy, do everything.
    public let isAdmin: Bool
    /// When the proof of identity ends (a JWT's `exp`, seconds since 1970); nil for proofs that
    /// do not expire (keys, certificates). What outlives the request, such as a dashboard
    /// session, must not outlive this. Not part of `==`: it says until when, not who.
    public let expiresAt: Double?

    public init(name: String, method: Method, groups: [String] = [], scopes: [String] = [], isAdmin: Bool,
                expiresAt: Double? = nil) {
        self.name = name
        self.method = method
        self.groups = groups
        self.scopes = scopes
        self.isAdmin = isAdmin
        self.expiresAt = expiresAt
    }

    /// Whose sessions are whose: two requests share a session only if they carry the same owner.
    /// Scopes and groups are left out, so a refreshed token with other scopes keeps its session.
    public var owner: String { method.rawValue + ":" + name }

    /// Whether `other` owns what this principal owns (`owner`, compared without building it).
    public func isSameOwner(as other: Principal) -> Bool {
        self === other || (method == other.method && name == other.name)
    }

    public static func == (lhs: Principal, rhs: Principal) -> Bool {
        lhs.name == rhs.name && lhs.method == rhs.method && lhs.groups == rhs.groups && lhs.scopes == rhs.scopes
            && lhs.isAdmin == rhs.isAdmin
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(method)
    }

    public var description: String { "\(name) (\(method.rawValue)\(isAdmin ? ", admin" : ""))" }

    /// The caller when authentication is off. It is an administrator, as in the reference:
    /// with no identities configured there is nobody to tell apart.
    public static let unauthenticated = Principal(name: "anonymous", method: .unauthenticated, isAdmin: true)

    /// A caller without a valid credential on a public path (`auth.public_paths`) while
    /// authentication is on: it may read that path, and is nobody's admin.
    public static let anonymous = Principal(name: "anonymous", method: .unauthenticated, isAdmin: false)
}
