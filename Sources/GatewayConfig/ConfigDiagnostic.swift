// A problem found in a config file, located by file, line and column and printed the way compilers print them.

/// One error or warning about a config file.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    /// 1-based; 0 when the problem is about the file as a whole (for example, it does not exist).
    public var line: Int
    /// 1-based, counted in Unicode scalars as libyaml does; 0 when `line` is 0.
    public var column: Int
    /// Dotted key path, e.g. `backends.git.comand` or `meta_mcp.surfaced_tools[0].tool`; empty for the whole file.
    public var path: String
    public var message: String

    public init(severity: Severity, file: String, line: Int, column: Int, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var isError: Bool { severity == .error }

    /// `gateway.yaml:12:5: error: unknown key 'comand' in 'backends.git'; did you mean 'command'?`
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return "\(location): \(severity.rawValue): \(message)"
    }
}
