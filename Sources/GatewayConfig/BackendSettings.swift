// One entry of the `backends:` section: an upstream MCP server the gateway fronts.

/// How to reach and run one backend.
public struct BackendSettings: Sendable, Equatable {
    /// Matches `[A-Za-z0-9_-]+`, because it becomes a prefix of namespaced tool names.
    public var name: String
    public var description: String
    public var transport: BackendTransport
    /// Extra environment of the backend process (stdio backends).
    public var env: [String: String]
    /// Extra HTTP headers sent on every request (HTTP and WebSocket backends).
    public var headers: [String: String]
    /// Working directory of the backend process (stdio backends); nil means the gateway's own.
    public var cwd: String?
    /// Deadline of one request to this backend.
    public var timeout: Duration
    /// A disabled backend is kept in the config (so reload can diff it) but never started.
    public var enabled: Bool
    /// The era to speak to it: probed by default.
    public var protocolVersion: BackendProtocol
    /// Its own rate and concurrency limits (`rate_limit`, `max_concurrent`).
    public var limits: BackendLimitSettings

    public static let defaultTimeout: Duration = .seconds(30)

    public init(
        name: String,
        description: String = "",
        transport: BackendTransport,
        env: [String: String] = [:],
        headers: [String: String] = [:],
        cwd: String? = nil,
        timeout: Duration = BackendSettings.defaultTimeout,
        enabled: Bool = true,
        protocolVersion: BackendProtocol = .auto,
        limits: BackendLimitSettings = BackendLimitSettings()
    ) {
        self.name = name
        self.description = description
        self.transport = transport
        self.env = env
        self.headers = headers
        self.cwd = cwd
        self.timeout = timeout
        self.enabled = enabled
        self.protocolVersion = protocolVersion
        self.limits = limits
    }
}
