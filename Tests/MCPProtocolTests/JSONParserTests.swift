// The tree parser and writer: every JSON type, escapes, errors with offsets, round trips.

import Testing
@testable import MCPProtocol

@Suite struct JSONParserTests {
    @Test func parsesEveryType() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":-2.5e3,"c":"x","d":[true,false,null],"e":{}}"#)
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(-2500))
        #expect(value["c"] == .string("x"))
        #expect(value["d"] == .array([.bool(true), .bool(false), .null]))
        #expect(value["e"] == .object(JSONObject()))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\n\té😀"))
    }

    @Test func loneSurrogateBecomesReplacementCharacter() throws {
        #expect(try JSONParser.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test(arguments: ["", "{", "[1,", "{\"a\" 1}", "tru", "01", "1.", "\"abc", "{\"a\":1}x", "[1 2]", "\"\u{01}\""])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func reportsTheOffsetOfAnError() {
        do throws(JSONParseError) {
            _ = try JSONParser.parse(#"{"a": x}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 6)
        }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    /// The deepest message the readers take (512 levels) is read, written back and compared on
    /// a thread of the cooperative pool, where requests are handled (its stacks are smaller than
    /// the main thread's), and one level more is an error in every reader, never a crash.
    @Test func deepestAcceptedNestingWorksOnThePoolAndOneMoreIsAnError() async throws {
        func nested(_ depth: Int) -> String {
            (0..<depth).map { $0 % 2 == 0 ? "[" : #"{"a":"# }.joined() + "1"
                + (0..<depth).reversed().map { $0 % 2 == 0 ? "]" : "}" }.joined()
        }
        let accepted = try await Task.detached {
            let value = try JSONParser.parse(nested(JSONCursor.maxDepth))
            return try JSONParser.parse(JSONWriter.encode(value)) == value
        }.value
        #expect(accepted)
        let tooDeep = nested(JSONCursor.maxDepth + 1)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(tooDeep) }
        // The walked container counts as a level in the scanner too (it did not: 513 levels passed
        // `elements(of:)` and `members(of:)`, one more than the parser takes).
        #expect(throws: JSONParseError.self) { try JSONScanner.elements(of: Array(tooDeep.utf8), in: 0..<tooDeep.utf8.count) }
        let deepObject = #"{"k":"# + nested(JSONCursor.maxDepth) + "}"
        #expect(throws: JSONParseError.self) { try JSONScanner.members(of: Array(deepObject.utf8)) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deepObject) }
        #expect(try JSONScanner.members(of: Array(#"{"k":"#.utf8) + Array(nested(JSONCursor.maxDepth - 1).utf8) + [UInt8(ascii: "}")]).count == 1)
        let request = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":"# + tooDeep + "}}"
        do throws(JSONRPCDecodeError) {
            _ = try JSONRPCMessage.decode(Array(request.utf8))
            Issue.record("a request nested too deep was decoded")
        } catch {
            #expect(error.code == JSONRPCErrorCode.parseError)
        }
    }

    @Test func writerKeepsSlashesAndEscapesControls() {
        let out = JSONWriter.encodeString(["path": "/a/b", "ctl": "\u{01}\n\"", "n": 3, "f": 0.5])
        #expect(out == #"{"path":"/a/b","ctl":"\u0001\n\"","n":3,"f":0.5}"#)
    }

    @Test func writerEmbedsRawBytesVerbatim() {
        let raw = RawJSON(string: #"{"x": [1, 2]}"#)
        #expect(JSONWriter.encodeString(["r": .raw(raw)]) == #"{"r":{"x": [1, 2]}}"#)
    }

    @Test func roundTripsUnicode() throws {
        let original: JSONValue = ["名前": "東京", "emoji": "🚀", "nested": [["k": .null]]]
        #expect(try JSONParser.parse(JSONWriter.encode(original)) == original)
    }

    @Test func objectKeepsInsertionOrder() {
        var object = JSONObject()
        object["z"] = 1
        object["a"] = 2
        object["z"] = 3
        #expect(object.keys == ["z", "a"])
        #expect(object["z"] == .int(3))
        object["z"] = nil
        #expect(object.keys == ["a"])
    }

    /// Strings are written in runs between the bytes that need escaping: every escape at the
    /// start, middle and end of a run, and text that is JSON itself, must round-trip exactly.
    @Test func writerEscapesEverySpecialByteWherever() throws {
        let samples = ["", "plain", "\"", "\\", "a\"b", "\"a\"", "\n\r\t", "\u{01}x\u{1F}", "é\"ü\\€",
                       #"{"content":[{"type":"text","text":"a \"quoted\" word"}],"isError":false}"#,
                       String(repeating: "ab\"", count: 50) + "\u{7}"]
        for sample in samples {
            let encoded = JSONWriter.encode(.string(sample))
            #expect(try JSONParser.parse(encoded) == .string(sample), "\(sample)")
            #expect(!encoded.dropFirst().dropLast().contains { $0 < 0x20 })
        }
        #expect(JSONWriter.encodeString(.string("a\u{1}\"")) == #""a\u0001\"""#)
    }
}
