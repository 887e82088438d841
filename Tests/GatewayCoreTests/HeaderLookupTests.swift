// The one-pass header reads used on every POST: same answers as HTTPFields' subscript
// (repeated fields joined), repeated single-use headers detected, JSON content types recognised.

import HTTPTypes
import Testing
@testable import GatewayServer

@Suite struct HeaderLookupTests {
    static let mcpName = HTTPField.Name("Mcp-Name")!

    @Test func valuesMatchTheSubscript() {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .accept, value: "application/json"))
        fields.append(HTTPField(name: .contentType, value: "application/json"))
        fields.append(HTTPField(name: .accept, value: "text/event-stream"))
        for name in [HTTPField.Name.accept, HTTPField.Name.contentType, HTTPField.Name("Origin")!, Self.mcpName] {
            #expect(fields.value(name) == fields[name])
        }
        #expect(fields.value(.accept) == "application/json, text/event-stream")
        #expect(fields.value(HTTPField.Name("ACCEPT")!) == "application/json, text/event-stream")
    }

    @Test func singleHeadersReportRepeats() {
        var fields = HTTPFields()
        #expect(fields.single(Self.mcpName) == .absent)
        fields.append(HTTPField(name: Self.mcpName, value: "a"))
        #expect(fields.single(Self.mcpName) == .one("a"))
        #expect(fields.single(Self.mcpName).value == "a")
        fields.append(HTTPField(name: HTTPField.Name("mcp-name")!, value: "b"))
        #expect(fields.single(Self.mcpName) == .several)
        #expect(fields.single(Self.mcpName).value == nil)
    }

    @Test func jsonContentTypesIgnoringCaseAndParameters() {
        #expect(AcceptHeader.isJSON("application/json"))
        #expect(AcceptHeader.isJSON("Application/JSON; charset=utf-8"))
        #expect(!AcceptHeader.isJSON("application/jso"))
        #expect(!AcceptHeader.isJSON("text/plain"))
        #expect(!AcceptHeader.isJSON(nil))
        #expect(!AcceptHeader.isJSON(""))
    }
}
