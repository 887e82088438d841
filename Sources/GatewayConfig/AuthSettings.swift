// The `auth:` section, as far as it is implemented: the explicit opt-out of authentication for
// a gateway reachable from the network. The reference's identity keys (API keys, bearer token,
// OAuth) are refused at load until identities exist: a config asking for them must not start a
// gateway that quietly lets everyone in.

/// Authentication settings.
public struct AuthSettings: Sendable, Equatable {
    /// Serve a non-loopback address with no authentication, on purpose.
    public var allowUnauthenticated: Bool

    public init(allowUnauthenticated: Bool = false) {
        self.allowUnauthenticated = allowUnauthenticated
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
    /// anonymous administrator of every tool, so that takes an explicit `auth.allow_unauthenticated`.
    public static func refusal(host: String, auth: AuthSettings) -> String? {
        guard !isLoopback(host), !auth.allowUnauthenticated else { return nil }
        return "server.host '\(host)' can be reached from other machines, and no authentication is configured: "
            + "anyone who reaches the port could run every tool. Listen on 127.0.0.1, or set "
            + "'auth.allow_unauthenticated: true' to serve it without authentication on purpose"
    }
}
