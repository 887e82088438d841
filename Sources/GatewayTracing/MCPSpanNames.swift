// Span names and attribute keys. Those of the OpenTelemetry MCP semantic conventions where
// they exist (https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/): a span is named
// "{mcp.method.name} {target}" (the tool or prompt), server spans for client requests and
// client spans for the gateway's own requests to backends. The gateway's own attributes are
// under `mcp_gateway.`.

public enum MCPSpanNames {
    // The conventions' keys.
    public static let methodName = "mcp.method.name"
    public static let protocolVersion = "mcp.protocol.version"
    public static let resourceURI = "mcp.resource.uri"
    public static let requestID = "jsonrpc.request.id"
    public static let toolName = "gen_ai.tool.name"
    public static let promptName = "gen_ai.prompt.name"
    public static let operationName = "gen_ai.operation.name"
    public static let networkTransport = "network.transport"
    public static let networkProtocol = "network.protocol.name"
    public static let errorType = "error.type"
    public static let errorCode = "rpc.jsonrpc.error_code"

    // The gateway's.
    public static let frontEnd = "mcp_gateway.front_end"
    public static let principal = "mcp_gateway.principal"
    public static let backendName = "mcp_gateway.backend.name"
    public static let backendTransport = "mcp_gateway.backend.transport"
    public static let attempt = "mcp_gateway.attempt"
    public static let refusal = "mcp_gateway.refusal"
    public static let searchHits = "mcp_gateway.search.hits"
    public static let searchLimit = "mcp_gateway.search.limit"

    // Span names of the gateway's inner steps.
    public static let search = "mcp_gateway.search"
    public static let policy = "mcp_gateway.policy"

    /// "{method} {target}", or the method alone.
    public static func spanName(method: String, target: String?) -> String {
        guard let target, !target.isEmpty else { return method }
        return method + " " + target
    }

    /// `network.transport` for a backend transport name (BackendStatus.transport).
    public static func networkTransport(ofBackend transport: String) -> String {
        transport == "stdio" ? "pipe" : "tcp"
    }
}
