// Reading a client's W3C trace context from `params._meta` by scanning, and the `_meta`
// members that pass the gateway's on to a backend.

import MCPProtocol
import Testing

struct TraceContextFieldsTests {
    private func fields(_ params: String) throws -> TraceContextFields? {
        let bytes = Array(params.utf8)
        return TraceContextFields.inMeta(of: try JSONScanner.members(of: bytes), in: bytes)
    }

    @Test func readsTraceparentAndTracestateFromMeta() throws {
        let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let found = try fields(#"{"name":"echo","_meta":{"progressToken":1,"traceparent":"\#(parent)","tracestate":"k=v"},"arguments":{}}"#)
        #expect(found == TraceContextFields(traceparent: parent, tracestate: "k=v"))
    }

    @Test func nothingWithoutAStringTraceparent() throws {
        #expect(try fields(#"{"name":"echo"}"#) == nil)
        #expect(try fields(#"{"_meta":{"tracestate":"k=v"}}"#) == nil)
        #expect(try fields(#"{"_meta":{"traceparent":7}}"#) == nil)
        #expect(try fields(#"{"_meta":"traceparent"}"#) == nil)
    }

    @Test func metaMembersCarryBothFieldsWhenSet() {
        let both = TraceContextFields(traceparent: "tp", tracestate: "ts").metaMembers
        #expect(both.map(\.0) == ["traceparent", "tracestate"])
        #expect(TraceContextFields(traceparent: "tp").metaMembers.map(\.0) == ["traceparent"])
    }
}
