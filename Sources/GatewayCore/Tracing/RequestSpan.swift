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
    let attributes: SpanAttributes

    init(_ message: JSONRPCMessage, method: String? = nil, params: [JSONScanner.Member], context: ClientContext,
         frontEnd: FrontEnd? = nil) {
        let method = method ?? message.method ?? ""
        let bytes = message.bytes
        let member: (String) -> String? = { key in
            params.first { $0.key == key }.flatMap { JSONScanner.string(in: bytes, range: $0.range) }
        }
        var attributes: SpanAttributes = [:]
        attributes.set(MCPSpanNames.methodName, value: .string(method))
        attributes.set(MCPSpanNames.protocolVersion, value: .string(context.protocolVersion))
        if let id = message.id { attributes.set(MCPSpanNames.requestID, value: .string(id.description)) }
        let front = frontEnd ?? context.frontEnd
        attributes.set(MCPSpanNames.frontEnd, value: .string(front.rawValue))
        attributes.set(MCPSpanNames.principal, value: .string(context.principal.name))
        attributes.set(MCPSpanNames.networkTransport, value: .string(front == .stdio ? "pipe" : "tcp"))
        if front != .stdio { attributes.set(MCPSpanNames.networkProtocol, value: .string(front == .websocket ? "websocket" : "http")) }
        var target: String?
        switch method {
        case "tools/call":
            target = member("name")
            attributes.set(MCPSpanNames.operationName, value: .string("execute_tool"))
            if let target { attributes.set(MCPSpanNames.toolName, value: .string(target)) }
        case "prompts/get":
            target = member("name")
            if let target { attributes.set(MCPSpanNames.promptName, value: .string(target)) }
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            if let uri = member("uri") { attributes.set(MCPSpanNames.resourceURI, value: .string(uri)) }
        default:
            break
        }
        name = MCPSpanNames.spanName(method: method, target: target)
        parent = TraceContextFields.inMeta(of: params, in: bytes) ?? TraceContextPropagation.incoming
        self.attributes = attributes
    }

    /// Marks `span` failed for an error answer or a tool's error result.
    static func finish(_ span: any Span, reply: [UInt8]?) {
        guard let reply, let failure = ReplyFailure.of(reply) else { return }
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
