// One backend-bound operation as it travels the call pipeline, and what comes back. Every
// operation a client can make a backend perform is one of these, whatever the entry path:
// a tool call (meta-tool invoke, surfaced tool, `/mcp/{backend}`), a resource read or
// subscription, a prompt, or another method `/mcp/{backend}` relays. A policy stage sees
// who asks (principal), which server, and what.

import GatewayAuth
import GatewayBackends
import GatewayGovernance
import MCPProtocol

public struct BackendCall: Sendable {
    public enum Operation: Sendable, Hashable {
        /// `tools/call` of the named tool.
        case tool(String)
        /// `resources/read` of the backend's own URI.
        case resourceRead(uri: String)
        /// `resources/subscribe` / `resources/unsubscribe` of the backend's own URI.
        case resourceSubscription(uri: String, subscribe: Bool)
        /// `prompts/get` of the backend's own prompt name.
        case prompt(String)
        /// Any other method `/mcp/{backend}` relays as it is (`completion/complete`, listings...).
        case relayed(method: String)

        /// The JSON-RPC method the backend is sent.
        public var method: String {
            switch self {
            case .tool: return "tools/call"
            case .resourceRead: return "resources/read"
            case .resourceSubscription(_, let subscribe): return subscribe ? "resources/subscribe" : "resources/unsubscribe"
            case .prompt: return "prompts/get"
            case .relayed(let method): return method
            }
        }
    }

    public var server: String
    public var operation: Operation
    /// Who asked; every front end sets it from the gate's decision.
    public var principal: Principal
    /// For a tool: the arguments object, as the client sent it. Otherwise: the params sent to
    /// the backend (names and URIs already the backend's own).
    public var arguments: [UInt8]
    /// Where the backend's progress and its requests to the client go.
    public var hooks: RequestHooks
    /// The front end and protocol version the call came in by.
    public var origin: CallOrigin
    /// For a tool of a backend that renames tools: the backend's own name of it (set by
    /// ToolShapingStage; `operation` keeps the name clients see, which usage, profiles,
    /// metrics and the audit trail record).
    public var backendTool: String?
    /// When the call began: its deadline (the backend's or the tool's timeout) counts from
    /// here, so time spent waiting in a queue or between retries is part of it.
    public var startedAt: ContinuousClock.Instant

    public init(server: String, operation: Operation, principal: Principal, arguments: [UInt8],
                hooks: RequestHooks = RequestHooks(), origin: CallOrigin = .unknown) {
        self.origin = origin
        self.startedAt = .now
        self.server = server
        self.operation = operation
        self.principal = principal
        self.arguments = arguments
        self.hooks = hooks
    }

    /// A tool call.
    public init(server: String, tool: String, principal: Principal, arguments: [UInt8], hooks: RequestHooks = RequestHooks(),
                origin: CallOrigin = .unknown) {
        self.init(server: server, operation: .tool(tool), principal: principal, arguments: arguments, hooks: hooks, origin: origin)
    }

    /// The name the backend knows the tool by (`backendTool`, else the tool's name); nil when
    /// the call is not a tool call. Per-tool backend settings (`tool_timeouts`,
    /// `idempotent_tools`) and the request sent match this name.
    public var backendToolName: String? {
        guard case .tool(let name) = operation else { return nil }
        return backendTool ?? name
    }

    /// The tool's name, for a tool call; nil otherwise.
    public var tool: String? {
        if case .tool(let name) = operation { return name }
        return nil
    }
}

public enum CallOutcome: Sendable {
    /// The backend's result, byte for byte.
    case result(RawJSON)
    /// The backend answered with a JSON-RPC error (or a stage refused the call with one).
    case backendError(JSONRPCErrorObject)
    /// The backend could not be reached, crashed, or timed out.
    case failure(BackendError)
    /// A governance stage refused the call before it reached the backend.
    case refused(GovernanceRefusal)

    public var isFailure: Bool {
        if case .result = self { return false }
        return true
    }
}
