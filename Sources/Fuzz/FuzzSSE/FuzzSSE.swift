// libFuzzer target: the text/event-stream parser (MCPProtocol's SSEParser, which reads every
// backend's SSE answer) and the event encoder the front ends write with.
//
// Checked on every input:
// - chunking does not matter: the stream fed whole, byte by byte, or cut at points taken from
//   the input itself gives the same events and the same last event id;
// - an event the encoder writes, whatever its data, parses back to the same event;
// - a JSON message written by `encodeMessage` (the gateway's SSE replies) parses back to one
//   `message` event whose data is the same JSON value.

import FuzzSupport
@testable import MCPProtocol

@_cdecl("FuzzSSE_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzSSE)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    checkChunking(bytes)
    checkEncoder(bytes)
    checkMessageEncoding(bytes)
    return 0
}

private struct Parsed: Equatable {
    var events: [ServerSentEvent]
    var lastEventID: String?
}

private func parse(_ chunks: [ArraySlice<UInt8>]) -> Parsed {
    var parser = SSEParser()
    var events: [ServerSentEvent] = []
    for chunk in chunks { events += parser.feed(chunk) }
    events += parser.finish()
    return Parsed(events: events, lastEventID: parser.lastEventID)
}

private func checkChunking(_ bytes: [UInt8]) {
    let whole = parse([bytes[...]])
    // Byte by byte on short inputs only: it is the costly check, and the cuts below reach
    // every boundary of longer ones too.
    if bytes.count <= 256 {
        let single = parse(bytes.indices.map { bytes[$0...$0] })
        fuzzRequire(single == whole, "byte-by-byte parse differs from the whole")
    }
    // Cuts where the input says: each byte's low bits step to the next cut.
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + 1 + Int(bytes[start] & 0x0F))
        chunks.append(bytes[start..<end])
        start = end
    }
    fuzzRequire(parse(chunks) == whole, "chunked parse differs from the whole")
}

/// The input read as UTF-8 is the data; id and type are the parts of it that an SSE field can
/// hold (no line break, no NUL in an id; the gateway's own ids and types are plain ASCII).
private func checkEncoder(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let fieldSafe = String(text.unicodeScalars.filter { $0 != "\n" && $0 != "\r" && $0 != "\0" }.prefix(16))
    let event = ServerSentEvent(event: fieldSafe.isEmpty ? nil : fieldSafe, data: text,
                                id: bytes.count % 2 == 0 ? fieldSafe : nil, retry: bytes.count % 3 == 0 ? bytes.count : nil)
    let parsed = parse([event.encoded()[...]])
    fuzzRequire(parsed.events.count == 1, "encoded event parses to \(parsed.events.count) events")
    guard let back = parsed.events.first else { return }
    // SSE data cannot carry a CR: each line end (CRLF, CR, LF) reads back as LF.
    let lines = text.replacingCRLF()
    fuzzRequire(back.data == lines, "data does not round-trip")
    fuzzRequire(back.id == event.id, "id does not round-trip")
    fuzzRequire(back.event == event.event, "event type does not round-trip")
    fuzzRequire(back.retry == event.retry, "retry does not round-trip")
}

/// A JSON message survives `encodeMessage` as the same JSON value.
private func checkMessageEncoding(_ bytes: [UInt8]) {
    guard let tree = try? JSONParser.parse(bytes) else { return }
    let parsed = parse([ServerSentEvent.encodeMessage(bytes, id: "p1-1")[...]])
    fuzzRequire(parsed.events.count == 1, "encodeMessage gives \(parsed.events.count) events")
    guard let event = parsed.events.first else { return }
    fuzzRequire(event.type == "message" && event.id == "p1-1", "encodeMessage event type or id")
    fuzzRequire((try? JSONParser.parse(event.data)) == tree, "encodeMessage changed the JSON value")
}

extension String {
    /// CRLF and CR as LF.
    fileprivate func replacingCRLF() -> String {
        var out: [UInt8] = []
        var afterCR = false
        for byte in utf8 {
            defer { afterCR = byte == 0x0D }
            if byte == 0x0A && afterCR { continue }
            out.append(byte == 0x0D ? 0x0A : byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
