// One tool call as it travels the pipeline, and what comes back.

import GatewayBackends
import MCPProtocol

public struct ToolCall: Sendable {
    public var server: String
    public var tool: String
    /// The arguments object, as the client sent it.
    public var arguments: [UInt8]
    /// Where the backend's progress and its requests to the client go.
    public var hooks: RequestHooks

    public init(server: String, tool: String, arguments: [UInt8], hooks: RequestHooks = RequestHooks()) {
        self.server = server
        self.tool = tool
        self.arguments = arguments
        self.hooks = hooks
    }
}

public enum CallOutcome: Sendable {
    /// The backend's CallToolResult, byte for byte.
    case result(RawJSON)
    /// The backend answered with a JSON-RPC error.
    case backendError(JSONRPCErrorObject)
    /// The backend could not be reached, crashed, or timed out.
    case failure(BackendError)

    public var isFailure: Bool {
        if case .result = self { return false }
        return true
    }
}
