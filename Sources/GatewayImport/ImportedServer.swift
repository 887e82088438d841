// One MCP server as a client configured it, read into the gateway's terms: how to run or reach
// it, and which of its values are secrets that must not be written in clear into a new file.

public struct ImportedServer: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        /// The program and its arguments (no shell).
        case stdio(argv: [String])
        /// `streamable_http` or `sse` at `url`; nil: the gateway probes (Streamable HTTP, then SSE).
        case remote(url: String, transport: String?)
    }

    /// The name the client gave it (sanitized into a backend name when written).
    public var name: String
    public var transport: Transport
    public var env: [(key: String, value: String)]
    public var headers: [(key: String, value: String)]
    public var cwd: String?
    /// The client had it switched off.
    public var disabled: Bool
    /// Where it came from (a file path), for the notes.
    public var source: String
    /// The tools the client exposes of it (Codex's `enabled_tools`); empty: all.
    public var allowTools: [String] = []
    /// The tools the client hides (Codex's `disabled_tools`).
    public var denyTools: [String] = []
    /// The deadline of a call, as the gateway writes durations (Codex's `tool_timeout_sec`).
    public var timeout: String?

    public init(name: String, transport: Transport, env: [(key: String, value: String)] = [],
                headers: [(key: String, value: String)] = [], cwd: String? = nil, disabled: Bool = false,
                source: String) {
        self.name = name
        self.transport = transport
        self.env = env
        self.headers = headers
        self.cwd = cwd
        self.disabled = disabled
        self.source = source
    }

    public static func == (lhs: ImportedServer, rhs: ImportedServer) -> Bool {
        lhs.name == rhs.name && lhs.transport == rhs.transport && lhs.cwd == rhs.cwd && lhs.disabled == rhs.disabled
            && lhs.env.map(\.key) == rhs.env.map(\.key) && lhs.env.map(\.value) == rhs.env.map(\.value)
            && lhs.headers.map(\.key) == rhs.headers.map(\.key) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.allowTools == rhs.allowTools && lhs.denyTools == rhs.denyTools && lhs.timeout == rhs.timeout
    }

    /// The same server whatever it is called: equal program and arguments, or equal URL.
    var identity: String {
        switch transport {
        case .stdio(let argv): return Self.identity(argv: argv)
        case .remote(let url, _): return Self.identity(url: url)
        }
    }

    static func identity(argv: [String]) -> String { "stdio\u{0}" + argv.joined(separator: "\u{0}") }
    static func identity(url: String) -> String { "remote\u{0}" + url }
}
