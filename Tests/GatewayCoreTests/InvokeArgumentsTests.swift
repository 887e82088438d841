// gateway_invoke argument handling: object or JSON-string arguments, clear errors.

import Testing
@testable import GatewayCore

@Suite struct InvokeArgumentsTests {
    func parse(_ text: String) -> Result<InvokeTool.Request, InvokeArgumentError> {
        InvokeTool.parse(Array(text.utf8))
    }

    @Test func keepsObjectArgumentsAsBytes() throws {
        let request = try parse(#"{"server":"git","tool":"git_log","arguments":{"max_count": 3, "x": "a/b"}}"#).get()
        #expect(request.server == "git")
        #expect(request.tool == "git_log")
        #expect(String(decoding: request.arguments, as: UTF8.self) == #"{"max_count": 3, "x": "a/b"}"#)
    }

    @Test func acceptsArgumentsAsAJSONString() throws {
        let request = try parse(#"{"server":"s","tool":"t","arguments":"{\"a\":1}"}"#).get()
        #expect(String(decoding: request.arguments, as: UTF8.self) == #"{"a":1}"#)
    }

    @Test func missingArgumentsMeanEmptyObject() throws {
        #expect(try parse(#"{"server":"s","tool":"t"}"#).get().arguments == Array("{}".utf8))
        #expect(try parse(#"{"server":"s","tool":"t","arguments":null}"#).get().arguments == Array("{}".utf8))
    }

    @Test(arguments: [
        #"{"tool":"t"}"#,
        #"{"server":"s"}"#,
        #"{"server":"s","tool":"t","arguments":"not json"}"#,
        #"{"server":"s","tool":"t","arguments":[1]}"#,
        #"[]"#,
    ])
    func rejectsBadArguments(_ text: String) {
        if case .success = parse(text) { Issue.record("expected a failure for \(text)") }
    }

    @Test func firstSentenceForCompactListings() {
        #expect(CatalogEntry.firstSentence("Read a file. Then more.") == "Read a file")
        #expect(CatalogEntry.firstSentence("Version 1.2 works\nsecond line") == "Version 1.2 works")
        #expect(CatalogEntry.firstSentence("  只读取文件。其他") == "只读取文件。")
    }
}
