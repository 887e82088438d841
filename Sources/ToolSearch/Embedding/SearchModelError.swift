// Why the search model could not be loaded.

public enum SearchModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No model folder was found (not installed next to the executable, no override).
    case notFound
    /// A file of the model could not be read.
    case unreadable(String)
    /// A file of the model is not in the expected format.
    case malformed(String)

    public var description: String {
        switch self {
        case .notFound: "search model not found (looked next to the executable and in MCP_GATEWAY_SEARCH_MODEL)"
        case .unreadable(let path): "search model file unreadable: \(path)"
        case .malformed(let reason): "search model malformed: \(reason)"
        }
    }
}
