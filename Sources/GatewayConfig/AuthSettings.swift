// The `auth:` section: who may call the gateway. A single bearer token, named API keys (the
// key itself, or only its SHA-256 so the file holds no secret), an OAuth 2.1 issuer whose JWTs
// are accepted, the principal of the stdio front end, and the explicit opt-out of
// authentication for a gateway reachable from the network.

/// Authentication settings.
public struct AuthSettings: Sendable, Equatable {
    /// `auth.enabled`: callers must authenticate (bearer token, API key, JWT or client certificate).
    public var enabled: Bool
    /// Serve a non-loopback address with no authentication, on purpose.
    public var allowUnauthenticated: Bool
    /// The single shared token (`auth.bearer_token`), resolved; its principal is an admin.
    public var bearerToken: BearerTokenSetting?
    /// Paths served without authentication (`auth.public_paths`, default `/health`).
    public var publicPaths: [String]
    public var apiKeys: [APIKeySettings]
    public var oauth: OAuthSettings?
    /// The stdio front end's principal (`auth.stdio_principal`); an admin.
    public var stdioPrincipal: String

    public init(enabled: Bool = false, allowUnauthenticated: Bool = false, bearerToken: BearerTokenSetting? = nil,
                publicPaths: [String] = ["/health"], apiKeys: [APIKeySettings] = [], oauth: OAuthSettings? = nil,
                stdioPrincipal: String = "local") {
        self.enabled = enabled
        self.allowUnauthenticated = allowUnauthenticated
        self.bearerToken = bearerToken
        self.publicPaths = publicPaths
        self.apiKeys = apiKeys
        self.oauth = oauth
        self.stdioPrincipal = stdioPrincipal
    }

    /// Whether requests must carry a credential at all.
    public var isRequired: Bool { enabled }
}

/// `auth.bearer_token`: a value from the file or the environment, or one made at start.
public enum BearerTokenSetting: Sendable, Equatable {
    /// The token (from a literal or `env:VAR`).
    case value(String)
    /// `auto`: generated at start and printed once.
    case generated
}

/// One `auth.api_keys` entry. Exactly one of `key` and `keySHA256` is set.
public struct APIKeySettings: Sendable, Equatable {
    public var name: String
    /// The key itself (a literal or `env:VAR`, resolved).
    public var key: String?
    /// The lowercase hex SHA-256 of the key (`key_sha256`): the file holds no secret.
    public var keySHA256: String?
    public var admin: Bool
    /// What the key may do (`backends`, `allowed_tools`, `rate_limit`, ...).
    public var rules: PrincipalRuleSettings

    public init(name: String, key: String? = nil, keySHA256: String? = nil, admin: Bool = false,
                rules: PrincipalRuleSettings = PrincipalRuleSettings()) {
        self.name = name
        self.key = key
        self.keySHA256 = keySHA256
        self.admin = admin
        self.rules = rules
    }
}

/// `auth.oauth`: the gateway as an OAuth 2.1 resource server (MCP authorization spec).
public struct OAuthSettings: Sendable, Equatable {
    /// The issuer (`iss`), also where discovery starts (`/.well-known/oauth-authorization-server`
    /// or `/.well-known/openid-configuration`).
    public var issuer: String
    /// The audience every token must name (`aud`, RFC 8707): this gateway's resource URL.
    public var audience: String
    /// The JWKS URL, when discovery is not to be used.
    public var jwksURL: String?
    /// Scopes every token must carry; missing ones answer 403 `insufficient_scope`.
    public var requiredScopes: [String]
    /// The claim naming the principal (default `sub`).
    public var principalClaim: String
    /// The claim listing the principal's groups (default `groups`).
    public var groupsClaim: String
    /// Groups (or scopes) whose members are admins.
    public var adminGroups: [String]
    /// Clock leeway for `exp` and `nbf`, in seconds (default 30).
    public var leewaySeconds: Int
    /// Verified tokens remembered at most (`cache_size`, default 10,000).
    public var cacheSize: Int
    /// Least time between two key fetches caused by an unknown `kid` (`refetch_interval`, default 60 s).
    public var refetchIntervalSeconds: Int

    public init(issuer: String, audience: String, jwksURL: String? = nil, requiredScopes: [String] = [],
                principalClaim: String = "sub", groupsClaim: String = "groups", adminGroups: [String] = [],
                leewaySeconds: Int = 30, cacheSize: Int = 10_000, refetchIntervalSeconds: Int = 60) {
        self.issuer = issuer
        self.audience = audience
        self.jwksURL = jwksURL
        self.requiredScopes = requiredScopes
        self.principalClaim = principalClaim
        self.groupsClaim = groupsClaim
        self.adminGroups = adminGroups
        self.leewaySeconds = leewaySeconds
        self.cacheSize = cacheSize
        self.refetchIntervalSeconds = refetchIntervalSeconds
    }
}

/// Whether a listening address can be reached from other machines, and the refusal to serve one
/// without authentication.
public enum BindExposure {
    /// Loopback addresses and names: 127.0.0.0/8, ::1, localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let lowered = bare.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
        }
    }

    /// Why serving `host` is refused, or nil. Anyone who reaches a non-loopback port would be an
    /// anonymous administrator of every tool, so that takes authentication (`auth.enabled`, or
    /// required client certificates) or an explicit `auth.allow_unauthenticated`.
    public static func refusal(host: String, auth: AuthSettings, tls: TLSSettings? = nil) -> String? {
        guard !isLoopback(host), !auth.allowUnauthenticated, !auth.isRequired,
              tls?.requireClientCertificate != true else { return nil }
        return "server.host '\(host)' can be reached from other machines, and no authentication is configured: "
            + "anyone who reaches the port could run every tool. Listen on 127.0.0.1, configure 'auth' (api_keys, "
            + "bearer_token or oauth) or 'mtls' with client certificates, or set 'auth.allow_unauthenticated: true' "
            + "to serve it without authentication on purpose"
    }
}
