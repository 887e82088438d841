// One message, one line: what is written to a newline-framed channel can never frame a second
// message (the stdio smuggling and forged-response findings).

import Testing
@testable import MCPProtocol

@Suite struct JSONSingleLineTests {
    private func line(_ text: String) -> String { String(decoding: JSONSingleLine.make(Array(text.utf8)), as: UTF8.self) }

    @Test func aMessageWithoutLineBreaksIsKeptAsItIs() {
        let text = #"{"jsonrpc":"2.0", "id":1, "result":{"a":"x y\nz"}}"#
        #expect(line(text) == text)
    }

    @Test func prettyPrintedJSONBecomesOneLineWithStringsIntact() throws {
        let pretty = "{\n  \"jsonrpc\": \"2.0\",\r\n  \"id\": 2,\n\t\"result\": { \"text\": \"a b  \\\"q\\\" \\\\\" , \"n\": [1, 2 ]\n }\n}"
        let out = line(pretty)
        #expect(!out.contains("\n") && !out.contains("\r"))
        #expect(out == #"{"jsonrpc":"2.0","id":2,"result":{"text":"a b  \"q\" \\","n":[1,2]}}"#)
        #expect(try JSONParser.parse(Array(out.utf8)) == JSONParser.parse(Array(pretty.utf8)))
    }

    /// The probe: a JSON string unwrapped by gateway_invoke carried a whole second request.
    @Test func aSmuggledRequestStaysInsideTheFirstMessage() {
        let smuggled = "{\"x\":\n{\"jsonrpc\":\"2.0\",\"id\":\"smuggled-1\",\"method\":\"tools/call\"}\n}"
        let out = line(smuggled)
        #expect(out.split(separator: "\n").count == 1)
        #expect(out == #"{"x":{"jsonrpc":"2.0","id":"smuggled-1","method":"tools/call"}}"#)
    }

    /// Invalid JSON (a raw line break inside a string, or a backslash before one) still comes
    /// out as one line, escaped.
    @Test func rawLineBreaksInsideStringsAreEscaped() {
        #expect(line("{\"a\":\"x\ny\rz\"}") == #"{"a":"x\ny\rz"}"#)
        #expect(line("{\"a\":\"x\\\ny\"}") == #"{"a":"x\ny"}"#)
        #expect(line("not json\n{\"id\":9}") == #"notjson{"id":9}"#)
    }

    @Test func detectsBothLineBreaks() {
        #expect(JSONSingleLine.hasLineBreak(Array("a\rb".utf8)))
        #expect(JSONSingleLine.hasLineBreak(Array("a\nb".utf8)))
        #expect(!JSONSingleLine.hasLineBreak(Array("ab".utf8)))
        #expect(!JSONSingleLine.hasLineBreak([]))
    }
}
