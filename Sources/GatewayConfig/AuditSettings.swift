// `audit:`: where the audit trail goes (one JSON line per backend-bound operation), how large a
// file grows before it is rotated, how many rotated files are kept, and for which tools a line
// carries the call's arguments in full. No `audit:` section: no trail (GatewayConfig.audit nil).

public struct AuditSettings: Sendable, Equatable {
    public enum Destination: Sendable, Equatable {
        /// A file, rotated by size (`path`, `path.1` ... `path.keep`). Absolute after loading.
        case file(String)
        /// `path: stdout`: for a collector reading the process's output. Refused with `--stdio`,
        /// where stdout carries MCP.
        case stdout
        /// `path: stderr`.
        case stderr

        /// As the config writes it.
        public var description: String {
            switch self {
            case .file(let path): return path
            case .stdout: return "stdout"
            case .stderr: return "stderr"
            }
        }
    }

    public static let defaultMaxSize = 100 * 1024 * 1024
    public static let defaultKeep = 5

    public var destination: Destination
    /// `max_size`: a file is rotated before a line would take it past this many bytes.
    public var maxSize: Int
    /// `keep`: rotated files kept (`path.1` newest ... `path.keep` oldest); 0 keeps none.
    public var keep: Int
    /// `include_arguments`: `server:tool` globs (a bare pattern matches the tool on any server)
    /// whose calls are logged with their arguments in full.
    public var includeArguments: [String]

    public init(destination: Destination, maxSize: Int = AuditSettings.defaultMaxSize, keep: Int = AuditSettings.defaultKeep,
                includeArguments: [String] = []) {
        self.destination = destination
        self.maxSize = maxSize
        self.keep = keep
        self.includeArguments = includeArguments
    }
}
