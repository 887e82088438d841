// What /health and gateway_list_servers report about a backend.

public enum BackendState: String, Sendable {
    case stopped, starting, running, failed, disabled
}

public struct BackendStatus: Sendable {
    public var name: String
    public var description: String
    public var transport: String
    public var state: BackendState
    public var toolCount: Int?
    public var lastError: String?
    public var pid: Int32?
    public var restarts: Int
    /// The protocol version spoken with the running backend (2026-07-28 or a handshake version).
    public var protocolVersion: String?
    /// The last lines of its process's stderr (stdio backends; kept across restarts).
    public var stderrTail: [String] = []
    /// Health pings missed in a row (`failsafe.health_check`).
    public var missedPings = 0
}
