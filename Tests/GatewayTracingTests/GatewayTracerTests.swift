// GatewayTracer over swift-distributed-tracing's in-memory tracer: a span is the current
// context of the work it wraps (so deeper spans are its children), a span begun by `start`
// or recorded after the fact has the right parent and times, and failures keep their error.

import GatewayTracing
import InMemoryTracing
import MCPProtocol
import Testing
import Tracing

struct GatewayTracerTests {
    let memory = InMemoryTracer()
    var tracer: GatewayTracer { GatewayTracer(tracer: memory) }

    @Test func nestedSpansAreChildrenOfTheCurrentOne() async throws {
        let tracer = self.tracer
        let value = await tracer.withSpan("tools/call gateway_invoke_tool", kind: .server) { _ in
            await tracer.withSpan("tools/call echo", kind: .client) { span in
                span.attributes.set(MCPSpanNames.backendName, value: .string("alpha"))
                return 42
            }
        }
        #expect(value == 42)
        let spans = memory.finishedSpans
        let outer = try #require(spans.first { $0.operationName == "tools/call gateway_invoke_tool" })
        let inner = try #require(spans.first { $0.operationName == "tools/call echo" })
        #expect(outer.kind == .server && inner.kind == .client)
        #expect(inner.traceID == outer.traceID)
        #expect(inner.parentSpanID == outer.spanID)
        #expect(outer.parentSpanID == nil)
        #expect(inner.attributes.get(MCPSpanNames.backendName) == .string("alpha"))
    }

    @Test func aThrownErrorEndsTheSpanAndReachesTheCaller() async {
        struct Boom: Error {}
        let tracer = self.tracer
        await #expect(throws: Boom.self) {
            try await tracer.withSpan("failing") { _ throws(Boom) in throw Boom() }
        }
        #expect(memory.finishedSpans.map(\.operationName) == ["failing"])
    }

    @Test func aStartedSpanIsNotCurrentAndEndsWhenTold() async {
        let tracer = self.tracer
        await tracer.withSpan("request", kind: .server) { _ in
            let policy = tracer.start(MCPSpanNames.policy)
            await tracer.withSpan("exchange", kind: .client) { _ in }
            policy.end()
        }
        let spans = memory.finishedSpans
        let request = spans.first { $0.operationName == "request" }
        #expect(spans.first { $0.operationName == MCPSpanNames.policy }?.parentSpanID == request?.spanID)
        // The exchange is the policy span's sibling: `start` did not make it current.
        #expect(spans.first { $0.operationName == "exchange" }?.parentSpanID == request?.spanID)
    }

    @Test func aRecordedSpanCoversTheTimeAlreadySpent() throws {
        tracer.record("initialize", kind: .server, parent: nil, elapsedNanoseconds: 5_000_000, attributes: [:], failed: true)
        let span = try #require(memory.finishedSpans.first)
        let elapsed = span.endInstant.nanosecondsSinceEpoch - span.startInstant.nanosecondsSinceEpoch
        #expect(elapsed >= 5_000_000 && elapsed < 1_000_000_000)
        #expect(span.status?.code == .error)
    }

    @Test func noOutboundContextWithoutATraceparentToSend() async {
        // The in-memory tracer writes its own keys, not W3C ones: nothing is bound for backends.
        let tracer = self.tracer
        let bound = await tracer.withSpan("exchange", kind: .client) { span in
            await tracer.propagating(span) { TraceContextPropagation.outbound }
        }
        #expect(bound == nil)
    }
}
