// Skipping a value (what the envelope scanner does with `params`, `arguments` and every member
// it does not read) checks the JSON grammar without building values: a message with invalid
// JSON anywhere inside is refused as a parse error (-32700) instead of being relayed to a
// backend that would fail to parse it. Known finding of issue 17: a missing comma, a bad
// literal or escape, or a leading zero nested inside `arguments` used to pass.

import MCPProtocol
import Testing

@Suite struct JSONSkipGrammarTests {
    static func call(arguments: String) -> [UInt8] {
        Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":\#(arguments)}}"#.utf8)
    }

    @Test(arguments: [
        #"{"a":1 "b":2}"#,          // a missing comma
        #"{"a" 1}"#,                // a missing colon
        #"{"a":tru}"#,              // a bad literal
        #"{"a":nul}"#,
        #"{"a":"\x"}"#,             // a bad escape
        #"{"a":"\u12G4"}"#,         // a bad \u escape
        #"{"a":01}"#,               // a leading zero
        #"{"a":1.}"#,               // a number without its fraction
        #"{"a":[1,2}"#,             // a mismatched bracket
        #"{"a":{"b":1]}"#,
        #"[1,,2]"#,                 // an empty element
        #"{"a":1,}"#,               // a trailing comma
        #"[1,]"#,
        #"{1:2}"#,                  // a key that is not a string
        #"{"a":1}}"#,               // one close too many (after the object)
        #"{"a":[}"#,
        #"{"a":+1}"#,
    ])
    func invalidJSONInsideArgumentsIsAParseError(arguments: String) {
        #expect(throws: JSONRPCDecodeError.self) { try JSONRPCMessage.decode(Self.call(arguments: arguments)) }
        do {
            _ = try JSONRPCMessage.decode(Self.call(arguments: arguments))
        } catch {
            #expect(error.code == -32700)
        }
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #"{"a":[]}"#, #"{"a":{}}"#, #"[[],[{}]]"#,
        #"{"a":1,"b":[true,false,null],"c":{"d":"e\"\\\/\b\f\n\r\t\u00e9"}}"#,
        #"{ "a" : [ 1 , -2.5e+3 , 0 , 0.5 ] , "b" : { } }"#,
        "{\"deep\":" + String(repeating: "[", count: 70) + #"{"x":1}"# + String(repeating: "]", count: 70) + "}",
    ])
    func validJSONPasses(arguments: String) throws {
        let message = try JSONRPCMessage.decode(Self.call(arguments: arguments))
        #expect(message.method == "tools/call")
    }

    @Test func nestingPastTheLimitIsAnErrorNotACrash() {
        let depth = 100_000
        let arguments = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: JSONRPCDecodeError.self) { try JSONRPCMessage.decode(Self.call(arguments: arguments)) }
        // Deeper than one word of bits (64 levels) and still within the limit: fine, and the
        // kinds of the containers are still told apart past 64.
        let mixed = String(repeating: #"{"a":["#, count: 100) + "1" + String(repeating: "]}", count: 100)
        #expect((try? JSONRPCMessage.decode(Self.call(arguments: mixed))) != nil)
        let crossed = String(repeating: #"{"a":["#, count: 100) + "1" + String(repeating: "}]", count: 100)
        #expect(throws: JSONRPCDecodeError.self) { try JSONRPCMessage.decode(Self.call(arguments: crossed)) }
    }
}
