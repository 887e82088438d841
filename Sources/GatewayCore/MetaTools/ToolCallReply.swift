// What a tool call answers: a CallToolResult (an error the agent can act on is a result with
// `isError`), or a JSON-RPC error where the protocol wants one (a limit with `retryAfterMs`).

import MCPProtocol

enum ToolCallReply {
    case result([UInt8])
    case error(JSONRPCErrorObject)
}
