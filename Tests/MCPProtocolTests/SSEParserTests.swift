// The event-stream parser against the WHATWG rules: chunking, line endings, comments,
// multi-line data, ids, retry, and events with no data.

import Testing
@testable import MCPProtocol

@Suite struct SSEParserTests {
    func parse(_ chunks: [String]) -> [ServerSentEvent] {
        var parser = SSEParser()
        return chunks.flatMap { parser.feed(Array($0.utf8)) }
    }

    @Test func parsesEventsSplitAtEveryByte() {
        let text = "event: message\ndata: {\"a\":1}\nid: 7\n\n: comment\ndata: second\n\n"
        let events = parse(text.map { String($0) })
        #expect(events == [
            ServerSentEvent(event: "message", data: #"{"a":1}"#, id: "7"),
            ServerSentEvent(event: nil, data: "second"),
        ])
    }

    @Test func acceptsCRLFAndCR() {
        #expect(parse(["data: a\r\n\r\ndata: b\r\rdata: c\r", "\n\r\n"]).map(\.data) == ["a", "b", "c"])
    }

    @Test func joinsMultiLineData() {
        #expect(parse(["data: line1\ndata: line2\ndata\n\n"]).first?.data == "line1\nline2\n")
    }

    @Test func ignoresCommentsAndUnknownFields() {
        #expect(parse([": ping\n\nfoo: bar\n\n"]).isEmpty)
    }

    @Test func anEventLongerThanTheMaximumEndsTheParse() {
        var parser = SSEParser(maximumEventSize: 1024)
        #expect(parser.feed(Array("data: ok\n\n".utf8)).map(\.data) == ["ok"])
        // A line that never ends, in chunks: held up to the maximum, then dropped.
        for _ in 0..<3 { #expect(parser.feed([UInt8](repeating: 0x78, count: 400)).isEmpty) }
        #expect(parser.exceeded)
        #expect(parser.feed(Array("\n\ndata: late\n\n".utf8)).isEmpty)
        // Many data lines of one event count together.
        var lines = SSEParser(maximumEventSize: 1024)
        #expect(lines.feed(Array(String(repeating: "data: 0123456789\n", count: 100).utf8)).isEmpty)
        #expect(lines.exceeded)
    }

    @Test func keepsLastEventIDAndRetry() {
        var parser = SSEParser()
        let events = parser.feed(Array("id: 41\nretry: 3000\ndata: x\n\n".utf8))
        #expect(events.first?.retry == 3000)
        #expect(parser.lastEventID == "41")
    }

    @Test func noSpaceAfterColonAndBOM() {
        #expect(parse(["\u{FEFF}data:x\n\n"]).first?.data == "x")
    }

    @Test func unterminatedEventIsNotDispatched() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: partial".utf8)).isEmpty)
        #expect(parser.finish().isEmpty)
    }

    @Test func encoderWritesMultiLineDataAsSeveralLines() {
        let event = ServerSentEvent(event: "message", data: "a\nb", id: "1")
        #expect(String(decoding: event.encoded(), as: UTF8.self) == "id: 1\nevent: message\ndata: a\ndata: b\n\n")
        var parser = SSEParser()
        #expect(parser.feed(event.encoded()) == [event])
    }

    /// Fuzzing finding (FuzzSSE, docs/reliability.md): data with a CR was written on one
    /// `data:` line, which a reader ends at the CR; "\r\r" ended the event and the rest of the
    /// data read as fields of a second event.
    @Test func encoderSplitsDataAtCRAndCRLFToo() {
        let event = ServerSentEvent(data: "a\r\rid: injected\r\ndata: b\rc")
        #expect(String(decoding: event.encoded(), as: UTF8.self)
            == "data: a\ndata: \ndata: id: injected\ndata: data: b\ndata: c\n\n")
        var parser = SSEParser()
        let events = parser.feed(event.encoded())
        #expect(events == [ServerSentEvent(data: "a\n\nid: injected\ndata: b\nc")])
        #expect(parser.lastEventID == nil)
    }

    @Test func encodedMessagesRoundTrip() {
        let json = Array(#"{"jsonrpc":"2.0","method":"x"}"#.utf8)
        var parser = SSEParser()
        #expect(parser.feed(ServerSentEvent.encodeMessage(json, id: "5")).first?.data == String(decoding: json, as: UTF8.self))
    }
}
