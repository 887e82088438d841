// One tool call as it travels the pipeline, and what comes back.

import GatewayBackends
import MCPProtocol

public struct ToolCall: Sendable {
    public var server: String
    public var tool: String
    /// The arguments object, as the client sent it.
    public var arguments: [UInt8]
    /// Called for each progress notification the backend sends for this call.
    public var onProgress: ProgressHandler?

    public init(server: String, tool: String, arguments: [UInt8], onProgress: ProgressHandler? = nil) {
        self.server = server
        self.tool = tool
        self.arguments = arguments
        self.onProgress = onProgress
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
