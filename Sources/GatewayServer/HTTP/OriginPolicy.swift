// Which browser origins and Host headers may reach the MCP endpoints. Defaults admit only
// localhost, which stops cross-site requests and DNS rebinding from web pages.

struct OriginPolicy: Sendable {
    let allowed: [String]
    let allowAny: Bool
    /// Host checking applies only when the gateway listens on loopback.
    let checkHost: Bool

    init(allowedOrigins: [String], bindHost: String) {
        allowAny = allowedOrigins.contains("*")
        allowed = allowedOrigins.map { $0.lowercased().trimmingTrailingSlash }
        checkHost = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(bindHost.lowercased())
    }

    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]", "::1"]

    func allows(origin: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        if allowAny { return true }
        let lowered = origin.lowercased().trimmingTrailingSlash
        if allowed.contains(lowered) { return true }
        guard let host = Self.host(ofOrigin: lowered) else { return false }
        return Self.loopbackNames.contains(host)
    }

    func allows(host: String?) -> Bool {
        guard checkHost, let host, !host.isEmpty else { return true }
        if allowAny { return true }
        let name = Self.stripPort(host.lowercased())
        if Self.loopbackNames.contains(name) { return true }
        return allowed.contains { Self.host(ofOrigin: $0) == name }
    }

    /// "http://localhost:3000" -> "localhost"; "null" and malformed origins -> nil.
    static func host(ofOrigin origin: String) -> String? {
        guard let schemeEnd = origin.range(of: "://") else { return nil }
        let rest = origin[schemeEnd.upperBound...]
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return stripPort(authority)
    }

    static func stripPort(_ authority: String) -> String {
        if authority.hasPrefix("[") {
            if let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
            return authority
        }
        if let colon = authority.lastIndex(of: ":") { return String(authority[..<colon]) }
        return authority
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
