// The W3C trace context (`traceparent`, `tracestate`) as it crosses the gateway: a client
// sends it in its HTTP headers or in a request's `_meta` (the 2026-07-28 spec's keys, SEP-414);
// the gateway passes its own span's context on to backends in `_meta` and, over HTTP, as
// headers. Plain strings here, so that transports and the REST executor need no tracing
// library: the tracer (GatewayTracing) parses and writes them.

public struct TraceContextFields: Sendable, Equatable {
    public var traceparent: String
    public var tracestate: String?

    public init(traceparent: String, tracestate: String? = nil) {
        self.traceparent = traceparent
        self.tracestate = tracestate
    }

    /// The fields of a request's `params._meta`, given the params' members in `bytes`; nil
    /// when there is no `traceparent` string. Only `_meta` is read, by scanning.
    public static func inMeta(of params: [JSONScanner.Member], in bytes: [UInt8]) -> TraceContextFields? {
        guard let meta = params.first(where: { $0.key == "_meta" }), bytes[meta.range.lowerBound] == UInt8(ascii: "{"),
              let members = try? JSONScanner.members(of: bytes, in: meta.range),
              let parent = members.first(where: { $0.key == "traceparent" }),
              let traceparent = JSONScanner.string(in: bytes, range: parent.range) else { return nil }
        let state = members.first { $0.key == "tracestate" }.flatMap { JSONScanner.string(in: bytes, range: $0.range) }
        return TraceContextFields(traceparent: traceparent, tracestate: state)
    }

    /// The `_meta` members that carry these fields to a backend.
    public var metaMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("traceparent", .string(traceparent))]
        if let tracestate { members.append(("tracestate", .string(tracestate))) }
        return members
    }
}

/// Where the trace context of the work the current task does is kept, so that it reaches the
/// code that writes a request without being passed through every layer in between.
public enum TraceContextPropagation {
    /// What a backend-bound request sent from this task carries: bound by the gateway's
    /// exchange span around the attempt (RPCConnection puts it in `_meta`, the HTTP
    /// transports and the REST executor in headers). Unbound when tracing is off.
    @TaskLocal public static var outbound: TraceContextFields?

    /// What the client's HTTP request carried in its `traceparent`/`tracestate` headers:
    /// bound by the HTTP front ends (when tracing is on) around the request's handling.
    @TaskLocal public static var incoming: TraceContextFields?
}
