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
    /// Deadline of one request to this backend, end to end (`timeout`, else `server.request_timeout`).
    public var timeout: Duration
    /// `tool_timeouts`: tool name or glob → deadline of a call of it, overriding `timeout`
    /// (an exact name wins over a glob; among globs the first written).
    public var toolTimeouts: [ToolTimeout]
    /// `idempotent_tools`: tools (names or globs) the operator says may run twice harmlessly,
    /// so a failed call of one may be retried.
    public var idempotentTools: [String]
    /// `trust_annotations`: the backend's own `readOnlyHint`/`idempotentHint` count for retries
    /// (the spec calls annotations from untrusted servers untrusted, so off by default).
    public var trustAnnotations: Bool
    /// `stop_when_idle_for`: a stdio backend with no call for this long is stopped, and started
    /// again by the next call; nil: it keeps running.
    public var stopWhenIdleFor: Duration?
    /// `roots`: the directories the gateway itself offers this backend (`roots/list` answered
    /// from here, and the roots capability declared); nil: the calling client's roots are relayed.
    public var roots: [BackendRoot]?
    /// `tools`, `rename`, `descriptions`, `arguments`, `max_result_bytes`: how its tools are
    /// shaped before clients see them.
    public var shaping: ToolShapingSettings
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
        limits: BackendLimitSettings = BackendLimitSettings(),
        toolTimeouts: [ToolTimeout] = [],
        idempotentTools: [String] = [],
        trustAnnotations: Bool = false,
        stopWhenIdleFor: Duration? = nil,
        roots: [BackendRoot]? = nil,
        shaping: ToolShapingSettings = ToolShapingSettings()
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
        self.toolTimeouts = toolTimeouts
        self.idempotentTools = idempotentTools
        self.trustAnnotations = trustAnnotations
        self.stopWhenIdleFor = stopWhenIdleFor
        self.roots = roots
        self.shaping = shaping
    }
}

/// One entry of `tool_timeouts`.
public struct ToolTimeout: Sendable, Equatable {
    /// A tool name as the backend names it, or a `*`/`?` glob.
    public var tool: String
    public var timeout: Duration

    public init(tool: String, timeout: Duration) {
        self.tool = tool
        self.timeout = timeout
    }
}
