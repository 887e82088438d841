// The carrier the tracer reads a client's W3C trace context from and writes the gateway's
// into: the two header/`_meta` keys, nothing else (a propagator asking for another key, such
// as `baggage`, finds nothing and writes nothing the gateway would pass on).

import MCPProtocol
import Tracing

@usableFromInline
struct TraceContextCarrier: Sendable {
    @usableFromInline var traceparent: String?
    @usableFromInline var tracestate: String?

    @usableFromInline
    init() {}

    @usableFromInline
    init(_ fields: TraceContextFields) {
        traceparent = fields.traceparent
        tracestate = fields.tracestate
    }

    @usableFromInline
    var fields: TraceContextFields? {
        traceparent.map { TraceContextFields(traceparent: $0, tracestate: tracestate) }
    }

    @usableFromInline
    struct Access: Extractor, Injector {
        @usableFromInline
        init() {}

        @usableFromInline
        func extract(key: String, from carrier: TraceContextCarrier) -> String? {
            switch key.lowercased() {
            case "traceparent": return carrier.traceparent
            case "tracestate": return carrier.tracestate
            default: return nil
            }
        }

        @usableFromInline
        func inject(_ value: String, forKey key: String, into carrier: inout TraceContextCarrier) {
            switch key.lowercased() {
            case "traceparent": carrier.traceparent = value
            case "tracestate": carrier.tracestate = value
            default: break
            }
        }
    }
}
