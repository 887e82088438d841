// The byte-range scanner the hot path reads envelopes with: members of an object that is
// followed by other bytes, and where one member's value begins without reading the value.

import Testing
@testable import MCPProtocol

@Suite struct JSONScannerTests {
    @Test func valueStartSkipsEarlierMembersOnly() throws {
        let bytes = Array(#" { "id" : {"x":"result"}, "result" : [1, 2 "#.utf8)
        let start = try #require(try JSONScanner.valueStart(of: "result", in: bytes))
        #expect(bytes[start] == UInt8(ascii: "["))
        #expect(try JSONScanner.valueStart(of: "absent", in: Array(#"{"a":1,"b":{}}"#.utf8)) == nil)
        #expect(try JSONScanner.valueStart(of: "a", in: Array("{}".utf8)) == nil)
        #expect(throws: JSONParseError.self) { try JSONScanner.valueStart(of: "b", in: Array(#"{"a":1"#.utf8)) }
        #expect(throws: JSONParseError.self) { try JSONScanner.valueStart(of: "b", in: Array("[1]".utf8)) }
    }

    @Test func membersOfAnObjectFollowedByMoreBytes() throws {
        let bytes = Array(#"{"result":{"a":1,"b":"}","c":{"d":[]}},"id":3}"#.utf8)
        let start = try #require(try JSONScanner.valueStart(of: "result", in: bytes))
        let (members, end) = try JSONScanner.members(ofObjectAt: start, in: bytes)
        #expect(members.map(\.key) == ["a", "b", "c"])
        #expect(String(decoding: bytes[members[2].range], as: UTF8.self) == #"{"d":[]}"#)
        #expect(bytes[end] == UInt8(ascii: ","))
        let empty = try JSONScanner.members(ofObjectAt: 0, in: Array("{ }tail".utf8))
        #expect(empty.members.isEmpty && empty.end == 3)
        #expect(throws: JSONParseError.self) { try JSONScanner.members(ofObjectAt: 0, in: Array(#"{"a":1,"#.utf8)) }
    }

    @Test func wholeObjectScanStillRejectsTrailingBytes() {
        #expect(throws: JSONParseError.self) { try JSONScanner.members(of: Array("{} x".utf8)) }
        #expect(throws: JSONParseError.self) { try JSONScanner.members(of: Array(#"{"a":1} x"#.utf8)) }
        #expect((try? JSONScanner.members(of: Array(" {} ".utf8)))?.isEmpty == true)
    }

    /// Strings are skipped eight bytes at a time: a quote, backslash or control character at
    /// any offset of a word, and multi-byte UTF-8 around it, must still be seen.
    /// Fuzzing finding (FuzzJSON, docs/reliability.md): `elements(of:in:)` stopped at the
    /// array's `]` and ignored what followed, so a batch body `[…]]` or `[…]x` was read as a batch
    /// where the parser (and a backend) sees invalid JSON.
    @Test func arrayElementsRejectTrailingBytes() throws {
        for text in ["[[]]]", "[1]x", "[]]", "[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}] {"] {
            let bytes = Array(text.utf8)
            #expect(throws: JSONParseError.self, "\(text)") { try JSONScanner.elements(of: bytes, in: 0..<bytes.count) }
        }
        let spaced = Array(" [1, [2]] \n".utf8)
        #expect(try JSONScanner.elements(of: spaced, in: 0..<spaced.count) == [2..<3, 5..<8])
        #expect(try JSONScanner.elements(of: Array("[ ]".utf8), in: 0..<3).isEmpty)
    }

    @Test func stringSkippingSeesEverySpecialByteAtEveryOffset() throws {
        for offset in 0..<20 {
            let prefix = String(repeating: "é", count: offset / 2) + String(repeating: "a", count: offset % 2)
            let escaped = Array(#"{"k":"\#(prefix)\"x\\y","z":1}"#.utf8)
            let members = try JSONScanner.members(of: escaped)
            #expect(members.map(\.key) == ["k", "z"])
            #expect(try JSONParser.parse(escaped)["k"]?.stringValue == prefix + "\"x\\y")
            let long = prefix + String(repeating: "0123456789", count: 3)
            #expect(try JSONParser.parse(Array(#"["\#(long)", "\#(long)"]"#.utf8)) == .array([.string(long), .string(long)]))
            var control = Array(#"{"k":"\#(long)"}"#.utf8)
            control[6 + offset] = 0x0A
            #expect(throws: JSONParseError.self) { try JSONScanner.members(of: control) }
            #expect(throws: JSONParseError.self) { try JSONParser.parse(control) }
            let unterminated = Array(#"{"k":"\#(long)"#.utf8)
            #expect(throws: JSONParseError.self) { try JSONScanner.members(of: unterminated) }
        }
    }

    @Test func valuesOfSomeKeysComparedAsBytes() throws {
        let bytes = Array(#"x{"b":[1,"]"],"a\u0062c":"escaped","a":{"k":"v"},"a":2,"zz":null}y"#.utf8)
        let found = try JSONScanner.values(of: ["a", "abc", "missing", "zz"].map(JSONScanner.Key.init), in: bytes, range: 1..<(bytes.count - 1))
        #expect(found.count == 4)
        // A repeated key reads as its last value, as the backends' parsers read it.
        #expect(found[0].map { String(decoding: bytes[$0], as: UTF8.self) } == "2")
        #expect(found[1].map { String(decoding: bytes[$0], as: UTF8.self) } == #""escaped""#)
        #expect(found[2] == nil)
        #expect(found[3].map { String(decoding: bytes[$0], as: UTF8.self) } == "null")
        #expect(try JSONScanner.values(of: [JSONScanner.Key("a")], in: Array("{}".utf8), range: 0..<2) == [nil])
        let accented = Array(#"{"é":1}"#.utf8)
        #expect(try JSONScanner.values(of: [JSONScanner.Key("é")], in: accented, range: 0..<accented.count) == [6..<7])
        #expect(try JSONScanner.values(of: [JSONScanner.Key("é")], in: accented, range: 0..<(accented.count + 5)) == [6..<7])
        #expect(throws: JSONParseError.self) { try JSONScanner.values(of: [JSONScanner.Key("a")], in: Array(#"{"a":1,}"#.utf8), range: 0..<8) }
        #expect(throws: JSONParseError.self) { try JSONScanner.values(of: [JSONScanner.Key("a")], in: Array(#"["a"]"#.utf8), range: 0..<5) }
    }

    @Test func valueStartMatchesEscapedKeys() throws {
        let bytes = Array(#"{"res\u0075lt":7}"#.utf8)
        let start = try #require(try JSONScanner.valueStart(of: "result", in: bytes))
        #expect(bytes[start] == UInt8(ascii: "7"))
    }
}

/// A repeated key is read as its last value everywhere, as Python's json and JSON.parse read it:
/// a check of the first `name` must never pass a call whose backend runs the last.
@Suite struct DuplicateKeyTests {
    @Test func membersKeepTheLastValueOfARepeatedKey() throws {
        let bytes = Array(#"{"name":"safe","x":1,"name":"evil"}"#.utf8)
        let members = try JSONScanner.members(of: bytes)
        #expect(members.map(\.key) == ["name", "x"])
        #expect(JSONScanner.string(in: bytes, range: members[0].range) == "evil")
    }

    @Test func theEnvelopeReadsTheLastMethodIdAndParams() throws {
        let text = #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"name":"safe"},"method":"tools/call","id":2,"params":{"name":"a","name":"evil"}}"#
        let message = try JSONRPCMessage.decode(Array(text.utf8))
        #expect(message.method == "tools/call")
        #expect(message.id == .int(2))
        let name = try #require(message.paramsMembers.first { $0.key == "name" })
        #expect(JSONScanner.string(in: message.bytes, range: name.range) == "evil")
        #expect(message.paramsMembers.count == 1)
    }

    @Test func aLaterNonObjectParamsIsNotReadAsTheEarlierObject() throws {
        let message = try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{"name":"x"},"params":[1]}"#.utf8))
        #expect(message.paramsMembers.isEmpty)
    }

    @Test func valuesAndTheParserReadTheLast() throws {
        let bytes = Array(#"{"progressToken":"a","progressToken":"b"}"#.utf8)
        let found = try JSONScanner.values(of: [JSONScanner.Key("progressToken")], in: bytes, range: 0..<bytes.count)
        let range = try #require(found.first ?? nil)
        #expect(JSONScanner.string(in: bytes, range: range) == "b")
        #expect(try JSONParser.parse(bytes)["progressToken"] == .string("b"))
    }
}

/// Past RepeatedKeyFinder's linear limit the index takes over and reads the same way.
@Suite struct ManyKeysTests {
    @Test func aLargeObjectKeepsTheLastValueOfRepeatedKeysInPlace() throws {
        var text = "{"
        for i in 0..<40 { text += "\"k\(i)\":\(i)," }
        text += "\"k3\":\"late\",\"k39\":\"last\",\"new\":1}"
        let bytes = Array(text.utf8)
        let members = try JSONScanner.members(of: bytes)
        #expect(members.count == 41)
        #expect(members.map(\.key) == (0..<40).map { "k\($0)" } + ["new"])
        #expect(JSONScanner.string(in: bytes, range: members[3].range) == "late")
        #expect(JSONScanner.string(in: bytes, range: members[39].range) == "last")
        let parsed = try JSONParser.parse(bytes)
        #expect(parsed["k3"] == .string("late") && parsed["k39"] == .string("last") && parsed["k5"] == .int(5))
        guard case .object(let object) = parsed else { Issue.record("not an object"); return }
        #expect(object.keys == members.map(\.key))
    }
}

@Suite struct ReplyOutcomeTests {
    @Test func errorResponsesAreToldApartWithoutReadingTheResult() {
        #expect(JSONScanner.isErrorResponse(Array(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}"#.utf8)))
        #expect(!JSONScanner.isErrorResponse(Array(#"{"jsonrpc":"2.0","id":1,"result":{"error":true}}"#.utf8)))
        // The walk stops at `result`: what follows it is never read, even when it is broken.
        #expect(!JSONScanner.isErrorResponse(Array(#"{"jsonrpc":"2.0","id":"a","result":{"content":[]},"#.utf8)))
        #expect(!JSONScanner.isErrorResponse(Array("not json".utf8)))
        #expect(!JSONScanner.isErrorResponse([]))
    }

    /// The encoder's own shape is read at its prefix, whatever the id; anything else is walked.
    @Test func theEncodersShapeGivesTheSameAnswersAsTheWalk() {
        let ids: [JSONRPCID?] = [.int(7), .string("a-1"), .string("quote\"d"), .string(""), nil]
        for id in ids {
            #expect(JSONScanner.isErrorResponse(JSONRPCEncoder.error(id: id, code: -32601, message: "no")))
            #expect(!JSONScanner.isErrorResponse(JSONRPCEncoder.result(id: id, result: Array(#"{"error":1}"#.utf8)[...])))
        }
        #expect(JSONScanner.isErrorResponse(Array(#"{"id":1,"jsonrpc":"2.0","error":{}}"#.utf8)))
        #expect(!JSONScanner.isErrorResponse(Array(#"{"jsonrpc":"2.0","id":1,"errors":{}}"#.utf8)))
    }

    @Test func toolErrorsAreTheTopLevelIsErrorTrue() {
        #expect(JSONScanner.isToolError(Array(#"{"content":[{"type":"text","text":"x"}],"isError":true}"#.utf8)))
        #expect(JSONScanner.isToolError(Array(#"{"isError" : true ,"content":[]}"#.utf8)))
        #expect(!JSONScanner.isToolError(Array(#"{"content":[],"isError":false}"#.utf8)))
        #expect(!JSONScanner.isToolError(Array(#"{"content":[{"isError":true}]}"#.utf8)))
        #expect(!JSONScanner.isToolError(Array(#"{"structuredContent":{"isError":true}}"#.utf8)))
        #expect(!JSONScanner.isToolError(Array("[]".utf8)))
        #expect(!JSONScanner.isToolError(Array(#"{"content":[{"type":"text","text":"isError"}]}"#.utf8)))
        #expect(!JSONScanner.isToolError(Array("{}".utf8)))
        #expect(JSONScanner.isToolError(Array(#"{"isError":true}"#.utf8)))
    }
}
