// The server span of one client request (tracing on): named and described by the MCP
// semantic conventions, child of the trace the client sent (`_meta.traceparent` first, as the
// 2026-07-28 spec puts it, then its HTTP `traceparent` header), and marked failed when the
// answer is a JSON-RPC error or a tool's `isError` result.

import GatewayTracing
import MCPProtocol
import Tracing

struct RequestSpan {
    let name: String
    let parent: TraceContextFields?
    private let message: JSONRPCMessage
    private let method: String
    private let params: [JSONScanner.Member]
    private let context: ClientContext
    private let frontEnd: FrontEnd
    private let target: String?
    /// `/mcp/{backend}`: the backend the request goes to.
    var backend: String?

    init(_ message: JSONRPCMessage, method: String? = nil, params: [JSONScanner.Member], context: ClientContext,
         frontEnd: FrontEnd? = nil) {
        let method = method ?? message.method ?? ""
        self.message = message
        self.method = method
        self.params = params
        self.context = context
        self.frontEnd = frontEnd ?? context.frontEnd
        target = method == "tools/call" || method == "prompts/get" ? Self.member("name", params, message.bytes) : nil
        name = MCPSpanNames.spanName(method: method, target: target)
        parent = TraceContextFields.inMeta(of: params, in: message.bytes) ?? TraceContextPropagation.incoming
    }

    private static func member(_ key: String, _ params: [JSONScanner.Member], _ bytes: [UInt8]) -> String? {
        params.first { $0.key == key }.flatMap { JSONScanner.string(in: bytes, range: $0.range) }
    }

    /// Built only for a span that is recorded (GatewayTracer asks for them lazily).
    var attributes: SpanAttributes {
        var attributes: SpanAttributes = [:]
        attributes.set(MCPSpanNames.methodName, value: .string(method))
        attributes.set(MCPSpanNames.protocolVersion, value: .string(context.protocolVersion))
        if let id = message.id { attributes.set(MCPSpanNames.requestID, value: .string(id.description)) }
        attributes.set(MCPSpanNames.frontEnd, value: .string(frontEnd.rawValue))
        attributes.set(MCPSpanNames.principal, value: .string(context.principal.name))
        attributes.set(MCPSpanNames.networkTransport, value: .string(frontEnd == .stdio ? "pipe" : "tcp"))
        if frontEnd != .stdio { attributes.set(MCPSpanNames.networkProtocol, value: .string(frontEnd == .websocket ? "websocket" : "http")) }
        switch method {
        case "tools/call":
            attributes.set(MCPSpanNames.operationName, value: .string("execute_tool"))
            if let target { attributes.set(MCPSpanNames.toolName, value: .string(target)) }
        case "prompts/get":
            if let target { attributes.set(MCPSpanNames.promptName, value: .string(target)) }
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            if let uri = Self.member("uri", params, message.bytes) { attributes.set(MCPSpanNames.resourceURI, value: .string(uri)) }
        default:
            break
        }
        if let backend { attributes.set(MCPSpanNames.backendName, value: .string(backend)) }
        return attributes
    }

    /// The attributes with `error.type` of a failed answer.
    func attributes(failure: ReplyFailure?) -> SpanAttributes {
        var attributes = self.attributes
        if let failure { attributes.set(MCPSpanNames.errorType, value: .string(failure.type)) }
        return attributes
    }

    /// Marks `span` failed for an error answer or a tool's error result.
    static func finish(_ span: any Span, reply: [UInt8]?) {
        guard span.isRecording, let reply, let failure = ReplyFailure.of(reply) else { return }
        span.attributes.set(MCPSpanNames.errorType, value: .string(failure.type))
        if let code = failure.code { span.attributes.set(MCPSpanNames.errorCode, value: .int64(Int64(code))) }
        span.setStatus(SpanStatus(code: .error, message: failure.message))
    }
}

/// What a span says of a failed answer: the JSON-RPC error's code (as `error.type`, the
/// conventions' choice) and message, or `tool_error` for a result with `isError: true`.
struct ReplyFailure {
    var type: String
    var code: Int?
    var message: String?

    static func of(_ reply: [UInt8]) -> ReplyFailure? {
        guard let members = try? JSONScanner.members(of: reply) else { return nil }
        if let error = members.first(where: { $0.key == "error" }) {
            let fields = (try? JSONScanner.members(of: reply, in: error.range)) ?? []
            let code = fields.first { $0.key == "code" }.flatMap { Int(String(decoding: reply[$0.range], as: UTF8.self)) }
            let message = fields.first { $0.key == "message" }.flatMap { JSONScanner.string(in: reply, range: $0.range) }
            return ReplyFailure(type: code.map(String.init) ?? "error", code: code, message: message)
        }
        if let result = members.first(where: { $0.key == "result" }), JSONScanner.isToolError(Array(reply[result.range])) {
            return ReplyFailure(type: "tool_error")
        }
        return nil
    }
}
