// A client's W3C trace context from its HTTP headers, bound for the request's handling
// (TraceContextPropagation.incoming) when tracing is on, so the request's span continues the
// client's trace. A `_meta.traceparent` in the message itself takes precedence (RequestSpan).
// With tracing off nothing is read or bound.

import HTTPTypes
import Hummingbird
import MCPProtocol

enum IncomingTraceContext {
    static let traceparent = HTTPField.Name("traceparent")
    static let tracestate = HTTPField.Name("tracestate")

    /// Runs `body` with the context of `request`'s headers bound, if tracing is on and it has one.
    static func binding<T>(_ request: Request, tracing: Bool, _ body: () async -> T) async -> T {
        guard tracing, let name = traceparent, let parent = request.headers[name] else { return await body() }
        let state = tracestate.flatMap { request.headers[values: $0].isEmpty ? nil : request.headers[values: $0].joined(separator: ",") }
        return await TraceContextPropagation.$incoming.withValue(TraceContextFields(traceparent: parent, tracestate: state),
                                                                 operation: body)
    }
}
