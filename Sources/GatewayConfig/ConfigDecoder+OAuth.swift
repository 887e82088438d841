// Reads `auth.oauth`: the issuer whose JWTs the gateway accepts as an OAuth 2.1 resource server.
// Where keys come from must be trustworthy, so the issuer and JWKS URLs are https, plain http
// only for a loopback host (a local test issuer); the audience is this gateway's resource URL,
// from which the RFC 9728 metadata URL is derived, so it must be an absolute http(s) URL too.

import Yams

extension ConfigDecoder {
    /// The longest clock leeway accepted: beyond it an expired token lives on noticeably.
    static let maximumOAuthLeeway: Duration = .seconds(300)

    /// `auth.oauth`, or nil when it is switched off (`enabled: false`) or unusable (errors reported).
    mutating func oauthSettings(_ node: Node, path: String) -> OAuthSettings? {
        if Self.isSwitchedOff(node) { return nil }
        guard let entries = supportedEntries(of: node, section: ConfigSchema.oauth, path: path) else { return nil }
        var settings = OAuthSettings(issuer: "", audience: "")
        var issuerSeen = false, audienceSeen = false
        var valid = true
        for entry in entries {
            switch entry.key {
            case "enabled":
                _ = bool(entry.value, path: entry.path)  // `false` was handled above; anything else asks for OAuth
            case "issuer":
                issuerSeen = true
                if let url = fetchURL(entry.value, path: entry.path, role: "the issuer") {
                    if WebURL(url)?.hasQueryOrFragment == true {
                        error("expected an issuer URL without a query or fragment (RFC 8414) for '\(entry.path)', found '\(url)'",
                              at: entry.value.mark, path: entry.path)
                        valid = false
                    }
                    settings.issuer = url
                } else { valid = false }
            case "jwks_url":
                if let url = fetchURL(entry.value, path: entry.path, role: "the JWKS URL") {
                    settings.jwksURL = url
                } else { valid = false }
            case "audience":
                audienceSeen = true
                if let audience = string(entry.value, path: entry.path) {
                    if let problem = Self.audienceProblem(audience) {
                        error("expected this gateway's resource URL for '\(entry.path)' (\(problem)), found '\(audience)'",
                              at: entry.value.mark, path: entry.path)
                        valid = false
                    } else {
                        settings.audience = audience
                    }
                } else { valid = false }
            case "required_scopes":
                if let scopes = scopeList(entry.value, path: entry.path) { settings.requiredScopes = scopes } else { valid = false }
            case "admin_groups":
                if let groups = scopeList(entry.value, path: entry.path) { settings.adminGroups = groups } else { valid = false }
            case "principal_claim":
                if let claim = claimName(entry.value, path: entry.path) { settings.principalClaim = claim } else { valid = false }
            case "groups_claim":
                if let claim = claimName(entry.value, path: entry.path) { settings.groupsClaim = claim } else { valid = false }
            case "leeway":
                if let leeway = duration(entry.value, path: entry.path, allowZero: true) {
                    if leeway > Self.maximumOAuthLeeway {
                        error("'\(entry.path)' is longer than 5m: an expired token would stay valid that long; use a few seconds",
                              at: entry.value.mark, path: entry.path)
                        valid = false
                    } else {
                        settings.leewaySeconds = Int(leeway.components.seconds)
                    }
                } else { valid = false }
            case "cache_size":
                if let size = count(entry.value, path: entry.path, in: 1...1_000_000) { settings.cacheSize = size } else { valid = false }
            case "refetch_interval":
                if let interval = boundedDuration(entry.value, path: entry.path, in: .seconds(10)...(.seconds(3600)), shown: "10s to 1h") {
                    settings.refetchIntervalSeconds = Int(interval.components.seconds)
                } else { valid = false }
            default:
                break
            }
        }
        if !issuerSeen {
            error("'\(path)' needs 'issuer' (the authorization server whose tokens are accepted)", at: node.mark, path: path + ".issuer")
            valid = false
        }
        if !audienceSeen {
            error("'\(path)' needs 'audience' (this gateway's resource URL, e.g. https://gateway.example.com/mcp)",
                  at: node.mark, path: path + ".audience")
            valid = false
        }
        return valid ? settings : nil
    }

    /// An http(s) URL keys are fetched from: https, or http to a loopback host only.
    private mutating func fetchURL(_ node: Node, path: String, role: String) -> String? {
        guard let text = string(node, path: path) else { return nil }
        guard let parts = WebURL(text) else {
            error("expected an https URL (\(role)) for '\(path)', found '\(text)'", at: node.mark, path: path)
            return nil
        }
        if parts.scheme == "http" && !BindExposure.isLoopback(parts.host) {
            error("'\(path)' must use https: keys fetched over plain http could be replaced on the way "
                  + "(http is accepted for a loopback host only)", at: node.mark, path: path)
            return nil
        }
        return text
    }

    /// Why `audience` cannot be this gateway's resource identifier, or nil.
    static func audienceProblem(_ audience: String) -> String? {
        guard let parts = WebURL(audience) else { return "an absolute http(s) URL" }
        if parts.hasQueryOrFragment { return "without a query or fragment" }
        return nil
    }

    /// A list of scope or group names: non-empty strings without spaces.
    private mutating func scopeList(_ node: Node, path: String) -> [String]? {
        guard let items = stringList(node, path: path) else { return nil }
        var valid = true
        for item in items where item.value.isEmpty || item.value.contains(" ") {
            error("expected a name without spaces for '\(item.path)', found '\(item.value)'", at: item.mark, path: item.path)
            valid = false
        }
        return valid ? items.map(\.value) : nil
    }

    private mutating func claimName(_ node: Node, path: String) -> String? {
        guard let name = string(node, path: path) else { return nil }
        if name.isEmpty {
            error("expected a claim name for '\(path)', found nothing", at: node.mark, path: path)
            return nil
        }
        return name
    }
}

/// The parts of an absolute http(s) URL the OAuth settings need: scheme, host (brackets kept
/// for IPv6), optional port, path. Nil for anything else (no scheme, no host, userinfo, spaces).
public struct WebURL: Sendable, Equatable {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// The path, "" when the URL has none.
    public let path: String
    public let hasQueryOrFragment: Bool

    public init?(_ text: String) {
        let lowered = text.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") { scheme = "https" } else if lowered.hasPrefix("http://") { scheme = "http" } else { return nil }
        let rest = text.dropFirst(scheme.count + 3)
        guard !rest.contains(where: { $0 == " " || $0 == "\\" || $0.isNewline }) else { return nil }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            host = authority[..<colon]
        }
        guard !host.isEmpty else { return nil }
        let tail = rest[authorityEnd...]
        let pathEnd = tail.firstIndex { $0 == "?" || $0 == "#" } ?? tail.endIndex
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.path = String(tail[..<pathEnd])
        self.hasQueryOrFragment = pathEnd != tail.endIndex
    }

    /// `scheme://host[:port]`.
    public var origin: String { scheme + "://" + host + (port.map { ":\($0)" } ?? "") }
}
