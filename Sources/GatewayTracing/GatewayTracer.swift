// The gateway's spans, written to one tracer: OpenTelemetry's when `telemetry.otlp` names an
// endpoint (GatewayServer starts it), an in-memory one in tests. Where tracing is off the
// holder keeps nil instead of a GatewayTracer, so a call pays one nil check and nothing else:
// no span, no clock read, no task-local binding.
//
// A span started here becomes the task's current context (InstrumentationContext.current)
// for the work it wraps, so spans started deeper (search, policy, backend exchanges) are its
// children without being handed their parent.

import MCPProtocol
import Synchronization
import Tracing

public final class GatewayTracer: Sendable {
    @usableFromInline let tracer: any Tracer

    public init(tracer: any Tracer) {
        self.tracer = tracer
    }

    /// Runs `body` in a new span, child of the trace context `parent` names (a client's) or,
    /// without one, of the task's current span. The span ends when `body` returns.
    /// Inlinable, as is `propagating`: specialized in the caller, a call does not instantiate
    /// `Result<T, E>`'s metadata at run time (callgrind showed the lookups per span).
    @inlinable
    public func withSpan<T, E: Error>(_ name: String, kind: SpanKind = .internal, parent: TraceContextFields? = nil,
                                      attributes: @autoclosure () -> SpanAttributes = [:],
                                      _ body: (any Span) async throws(E) -> T) async throws(E) -> T {
        let span = start(name, kind: kind, parent: parent, attributes: attributes())
        defer { span.end() }
        let outcome: Result<T, E> = await InstrumentationContext.withValue(span.context) {
            do throws(E) {
                return .success(try await body(span))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// A span begun now, child of `parent` or the task's current span; the caller ends it.
    /// For a stretch of work that is not one closure (the policy stages before a backend).
    @inlinable
    public func start(_ name: String, kind: SpanKind = .internal, parent: TraceContextFields? = nil,
                      attributes: @autoclosure () -> SpanAttributes = [:]) -> any Span {
        let context = parent.map(self.context(from:)) ?? InstrumentationContext.current ?? .topLevel
        let span: any Span = tracer.startSpan(name, context: context, ofKind: kind, at: DefaultTracerClock.now)
        // Described only when recorded: an unsampled span's attributes would be built and
        // dropped (callgrind: ~20k instructions a span in dictionary work).
        if span.isRecording {
            let attributes = attributes()
            if !attributes.isEmpty { span.attributes = attributes }
        }
        return span
    }

    /// A span for work already done (a request a front end answered itself): it began
    /// `elapsedNanoseconds` ago and ends now.
    public func record(_ name: String, kind: SpanKind, parent: TraceContextFields?, elapsedNanoseconds: Int64,
                       attributes: @autoclosure () -> SpanAttributes, failed: Bool) {
        let now = DefaultTracerClock.now
        let began = DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch
            - UInt64(clamping: max(elapsedNanoseconds, 0)))
        let context = parent.map(self.context(from:)) ?? InstrumentationContext.current ?? .topLevel
        let span: any Span = tracer.startSpan(name, context: context, ofKind: kind, at: began)
        if span.isRecording { span.attributes = attributes() }
        if failed { span.setStatus(SpanStatus(code: .error)) }
        span.end(at: now)
    }

    /// Runs `body` with `span`'s trace context bound for every backend-bound request it sends
    /// (TraceContextPropagation.outbound): in `_meta`, and as headers over HTTP.
    @inlinable
    public func propagating<T, E: Error>(_ span: any Span, _ body: () async throws(E) -> T) async throws(E) -> T {
        var fields = TraceContextCarrier()
        tracer.inject(span.context, into: &fields, using: TraceContextCarrier.Access())
        guard let outbound = fields.fields else { return try await body() }
        let outcome: Result<T, E> = await TraceContextPropagation.$outbound.withValue(outbound) {
            do throws(E) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// The context a client's `traceparent`/`tracestate` name (the tracer checks them: a
    /// malformed one starts a new trace).
    @usableFromInline
    func context(from fields: TraceContextFields) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        tracer.extract(TraceContextCarrier(fields), into: &context, using: TraceContextCarrier.Access())
        return context
    }
}
