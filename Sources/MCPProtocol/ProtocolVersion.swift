// MCP protocol versions the gateway speaks and how a client's requested version is answered.

public enum ProtocolVersion {
    public static let latest = "2025-11-25"
    /// The stateless era, negotiated per request with `server/discover`.
    public static let stateless = "2026-07-28"
    /// Session-based versions, newest first.
    public static let supported = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// The version the gateway answers `initialize` with: the client's if supported, else the latest.
    public static func negotiate(requested: String?) -> String {
        if let requested, supported.contains(requested) { return requested }
        return latest
    }

    public static func isSupported(_ version: String) -> Bool { supported.contains(version) }

    /// JSON-RPC batches were allowed only in 2025-03-26.
    public static func allowsBatches(_ version: String) -> Bool { version == "2025-03-26" || version == "2024-11-05" }
}
