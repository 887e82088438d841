// Which protocol era the gateway speaks to one backend: found out by probing, or pinned by
// the operator for servers that misbehave when probed.

/// `backends.NAME.protocol_version`.
public enum BackendProtocol: Sendable, Equatable {
    /// Probe with `server/discover`; fall back to the `initialize` handshake (the default).
    case auto
    /// 2026-07-28 only: a server that does not answer `server/discover` fails to start.
    case modern
    /// The `initialize` handshake, asking for this version; never probe.
    case handshake(String)

    public static let modernVersion = "2026-07-28"
    public static let handshakeVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// The accepted spellings, for messages.
    public static let allValues = ["auto", modernVersion] + handshakeVersions

    public init?(configValue: String) {
        switch configValue {
        case "auto": self = .auto
        case Self.modernVersion: self = .modern
        case let version where Self.handshakeVersions.contains(version): self = .handshake(version)
        default: return nil
        }
    }
}
