// The client span of one exchange with a backend (tracing on): one per attempt, so a retry
// shows as a second span; named "{method} {target}" by the MCP conventions, with the
// backend's name, transport and negotiated protocol version. Its trace context is bound for
// the request the attempt sends (TraceContextPropagation.outbound): the backend receives it
// in `_meta` and, over HTTP, as `traceparent`/`tracestate` headers.

import GatewayBackends
import GatewayTracing
import MCPProtocol
import Tracing

enum ExchangeSpan {
    /// Runs `body` (one attempt) in the exchange's span; `details` is read after the attempt,
    /// when a session the attempt started is known.
    static func run(_ call: BackendCall, tracer: GatewayTracer, transport: String, attempt: Int,
                    details: @escaping @Sendable () -> (transport: String, protocolVersion: String)?,
                    _ body: () async throws(BackendAttemptFailure) -> JSONRPCMessage) async throws(BackendAttemptFailure) -> JSONRPCMessage {
        try await tracer.withSpan(name(of: call), kind: .client,
                                  attributes: Self.attributes(of: call, transport: transport, attempt: attempt)) { span throws(BackendAttemptFailure) in
            do throws(BackendAttemptFailure) {
                let reply = try await tracer.propagating(span, body)
                describe(span, session: details())
                if let error = reply.errorValue() {
                    fail(span, type: String(error.code), code: error.code, message: error.message)
                } else if let result = reply.resultRaw, JSONScanner.isToolError(result.bytes) {
                    fail(span, type: "tool_error", code: nil, message: nil)
                }
                return reply
            } catch {
                describe(span, session: details())
                fail(span, type: OutcomeLabel.of(.failure(error.error), isTool: call.tool != nil), code: nil, message: "\(error.error)")
                throw error
            }
        }
    }

    /// A capability's REST call: the same span, its transport `rest`.
    static func runCapability(_ call: BackendCall, tracer: GatewayTracer,
                              _ body: () async -> CallOutcome) async -> CallOutcome {
        await tracer.withSpan(name(of: call), kind: .client, attributes: Self.attributes(of: call, transport: "rest", attempt: 1)) { span in
            let outcome = await tracer.propagating(span, body)
            switch outcome {
            case .result(let result) where JSONScanner.isToolError(result.bytes):
                fail(span, type: "tool_error", code: nil, message: nil)
            case .backendError(let error):
                fail(span, type: String(error.code), code: error.code, message: error.message)
            case .failure(let failure):
                fail(span, type: OutcomeLabel.of(outcome, isTool: true), code: nil, message: "\(failure)")
            default:
                break
            }
            return outcome
        }
    }

    static func name(of call: BackendCall) -> String {
        switch call.operation {
        case .tool(let tool): return MCPSpanNames.spanName(method: "tools/call", target: tool)
        case .prompt(let prompt): return MCPSpanNames.spanName(method: "prompts/get", target: prompt)
        default: return call.operation.method
        }
    }

    static func attributes(of call: BackendCall, transport: String, attempt: Int) -> SpanAttributes {
        var attributes: SpanAttributes = [:]
        attributes.set(MCPSpanNames.methodName, value: .string(call.operation.method))
        attributes.set(MCPSpanNames.backendName, value: .string(call.server))
        attributes.set(MCPSpanNames.backendTransport, value: .string(transport))
        attributes.set(MCPSpanNames.networkTransport, value: .string(MCPSpanNames.networkTransport(ofBackend: transport)))
        attributes.set(MCPSpanNames.attempt, value: .int64(Int64(attempt)))
        switch call.operation {
        case .tool(let tool):
            attributes.set(MCPSpanNames.toolName, value: .string(tool))
            attributes.set(MCPSpanNames.operationName, value: .string("execute_tool"))
        case .prompt(let prompt):
            attributes.set(MCPSpanNames.promptName, value: .string(prompt))
        case .resourceRead(let uri), .resourceSubscription(let uri, _):
            attributes.set(MCPSpanNames.resourceURI, value: .string(uri))
        case .relayed:
            break
        }
        return attributes
    }

    private static func describe(_ span: any Span, session: (transport: String, protocolVersion: String)?) {
        guard let session, span.isRecording else { return }
        span.attributes.set(MCPSpanNames.backendTransport, value: .string(session.transport))
        span.attributes.set(MCPSpanNames.protocolVersion, value: .string(session.protocolVersion))
    }

    private static func fail(_ span: any Span, type: String, code: Int?, message: String?) {
        guard span.isRecording else { return }
        span.attributes.set(MCPSpanNames.errorType, value: .string(type))
        if let code { span.attributes.set(MCPSpanNames.errorCode, value: .int64(Int64(code))) }
        span.setStatus(SpanStatus(code: .error, message: message))
    }
}
