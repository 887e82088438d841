// What a principal asks to see or use: a server, or one of its tools, resources or prompts,
// named as the backend names them.

public enum AccessTarget: Sendable, Hashable {
    case server(String)
    case tool(server: String, name: String)
    /// `uri` is the backend's own URI (or URI template).
    case resource(server: String, uri: String)
    case prompt(server: String, name: String)

    public var server: String {
        switch self {
        case .server(let server), .tool(let server, _), .resource(let server, _), .prompt(let server, _): return server
        }
    }
}

/// Whether a target exists for a principal.
public enum AccessVerdict: Sendable, Equatable {
    case visible
    /// `rule` names the deciding rule (for logs and the audit trail, never for the caller);
    /// `wholeServer` when the server itself is hidden.
    case hidden(rule: String, wholeServer: Bool)

    public var isVisible: Bool { self == .visible }
}
