// The span of the call pipeline's policy stages (tracing on): from the call's entry to the
// moment it leaves for the backend, or to a stage's refusal, which it names. The backend
// exchange is its sibling, not its child: the span is not made current, since the stages
// wrap the backend call and would otherwise parent it.

import GatewayTracing
import Synchronization
import Tracing

final class PolicySpan: Sendable {
    private let span: any Span
    private let ended = Atomic<Bool>(false)

    init(tracer: GatewayTracer, call: BackendCall) {
        span = tracer.start(MCPSpanNames.policy, attributes: Self.attributes(of: call))
    }

    private static func attributes(of call: BackendCall) -> SpanAttributes {
        var attributes: SpanAttributes = [:]
        attributes.set(MCPSpanNames.methodName, value: .string(call.operation.method))
        attributes.set(MCPSpanNames.backendName, value: .string(call.server))
        if let tool = call.tool { attributes.set(MCPSpanNames.toolName, value: .string(tool)) }
        return attributes
    }

    /// Every stage let the call through: it goes to the backend now.
    func passed() {
        end()
    }

    /// After the pipeline returned: a call that never reached the backend was refused.
    func finish(_ outcome: CallOutcome) {
        guard !ended.load(ordering: .acquiring) else { return }
        if case .refused(let refusal) = outcome, span.isRecording {
            let reason = OutcomeLabel.reason(of: refusal)
            span.attributes.set(MCPSpanNames.refusal, value: .string(reason))
            span.attributes.set(MCPSpanNames.errorType, value: .string(reason))
            span.setStatus(SpanStatus(code: .error, message: reason))
        }
        end()
    }

    private func end() {
        // A retried call passes the terminal once: the first crossing ends the span.
        guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
        span.end()
    }
}
