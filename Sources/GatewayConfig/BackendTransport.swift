// How the gateway talks to a backend: a child process over stdio, HTTP (Streamable or legacy SSE), or WebSocket.

/// The connection kind of one backend, chosen by `command` or by the scheme of `http_url`.
public enum BackendTransport: Sendable, Equatable {
    /// A child process spoken to over stdin/stdout; `command` is its argv, never run through a shell.
    case stdio(command: [String])
    /// An `http://` or `https://` endpoint.
    case http(url: String, mode: HTTPMode)
    /// A `ws://` or `wss://` endpoint. Kept apart from `.http` so the backend layer must handle it on purpose.
    case webSocket(url: String)

    /// A child process the gateway starts (and so may stop when idle).
    public var isStdio: Bool {
        if case .stdio = self { return true }
        return false
    }
}

/// Which HTTP protocol an HTTP backend speaks.
public enum HTTPMode: String, Sendable, Equatable, CaseIterable {
    /// Try Streamable HTTP, fall back to the legacy SSE handshake.
    case auto
    /// Streamable HTTP only (MCP 2025-03-26 and later).
    case streamableHTTP = "streamable_http"
    /// Legacy HTTP+SSE (MCP 2024-11-05): GET an event stream, POST to the endpoint it announces.
    case sse
}
