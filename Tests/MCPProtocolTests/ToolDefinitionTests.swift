// Reading tools/list pages: fields decoded, the whole tool kept verbatim, cursors, and
// the parameters the search index needs.

import Testing
@testable import MCPProtocol

@Suite struct ToolDefinitionTests {
    @Test func parsesAPageWithCursor() throws {
        let page = Array(#"{"tools":[{"name":"read_file","title":"Read","description":"Read a file.","inputSchema":{"type":"object","properties":{"path":{"type":"string","description":"Where"}}},"annotations":{"readOnlyHint":true},"x-extra":1},{"description":"no name"}],"nextCursor":"p2"}"#.utf8)
        let (tools, cursor) = try ToolDefinition.parsePage(page)
        #expect(cursor == "p2")
        #expect(tools.count == 1)
        let tool = try #require(tools.first)
        #expect(tool.name == "read_file")
        #expect(tool.title == "Read")
        #expect(tool.isReadOnly)
        #expect(tool.raw.string.contains("x-extra"))
        #expect(tool.parameters().map(\.name) == ["path"])
        #expect(tool.parameters().first?.description == "Where")
    }

    @Test func emptyCursorMeansLastPage() throws {
        #expect(try ToolDefinition.parsePage(Array(#"{"tools":[],"nextCursor":""}"#.utf8)).nextCursor == nil)
    }

    @Test func protocolVersionNegotiation() {
        #expect(ProtocolVersion.negotiate(requested: "2025-03-26") == "2025-03-26")
        #expect(ProtocolVersion.negotiate(requested: "1999-01-01") == ProtocolVersion.latest)
        #expect(ProtocolVersion.negotiate(requested: nil) == ProtocolVersion.latest)
    }
}
