// A problem found in a capability file, located by file, line and column, printed like a compiler's.

/// One error or warning about a capability file.
public struct CapabilityProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error
        case warning
    }

    public var severity: Severity
    public var path: String
    /// 1-based; 0 when the problem is about the file as a whole.
    public var line: Int
    public var column: Int
    /// Dotted key path in the file, e.g. `providers.primary.config.method`; empty for the whole file.
    public var keyPath: String
    public var message: String

    public init(severity: Severity = .error, path: String, line: Int, column: Int = 1, keyPath: String = "",
                message: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var isError: Bool { severity == .error }

    /// `weather.yaml:12:5: error: unknown key 'metod' in 'providers.primary.config'; did you mean 'method'?`
    public var description: String {
        let location = line > 0 ? "\(path):\(line):\(column)" : path
        return "\(location): \(severity.rawValue): \(message)"
    }
}
