// The MCP log levels (RFC 5424 severities), ordered from the most verbose: what a client's
// `logging/setLevel` and a log message's `level` name.

public enum LogSeverity: Int, Comparable, Sendable, CaseIterable {
    case debug, info, notice, warning, error, critical, alert, emergency

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        case .alert: "alert"
        case .emergency: "emergency"
        }
    }

    /// What a client that never sent `logging/setLevel` receives, and the least verbose level the
    /// gateway ever sets on a backend: one client asking for less must not silence the others.
    public static let clientDefault = LogSeverity.info

    public static func < (lhs: LogSeverity, rhs: LogSeverity) -> Bool { lhs.rawValue < rhs.rawValue }
}
