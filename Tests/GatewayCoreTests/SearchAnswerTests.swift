// What gateway_search_tools answers: matches from the snapshot, the servers the snapshot could
// not include named beside them (only when there are any), and for a query naming several needs
// the need each match answers.

import MCPProtocol
import Testing
@testable import GatewayCore

@Suite struct SearchAnswerTests {
    static func snapshot(unavailable: [String]) throws -> CatalogSnapshot {
        let page = Array(#"{"tools":[{"name":"echo","description":"Echo text back unchanged.","inputSchema":{"type":"object"}},{"name":"add","description":"Add two integers.","inputSchema":{"type":"object"}}]}"#.utf8)
        let tools = try ToolDefinition.parsePage(page).tools
        return CatalogSnapshot(entries: tools.map { CatalogEntry(server: "alpha", tool: $0) },
                               servers: [("alpha", ""), ("beta", "")], unavailableServers: unavailable, generation: 1)
    }

    static func structured(_ result: [UInt8]) throws -> JSONValue {
        try #require(try JSONParser.parse(result)["structuredContent"])
    }

    @Test func namesTheServersItCouldNotSearch() throws {
        let answer = try Self.structured(SearchToolsTool.render(query: "echo text", limit: 5,
                                                                 view: CatalogView(unrestricted: Self.snapshot(unavailable: ["beta"]))))
        #expect(answer["matches"]?.arrayValue?.first?["tool"]?.stringValue == "echo")
        #expect(answer["unavailableServers"]?.arrayValue?.compactMap(\.stringValue) == ["beta"])
        #expect(answer["note"]?.stringValue?.contains("gateway_list_servers") == true)
    }

    @Test func saysNothingExtraWhenEveryServerIsListed() throws {
        let answer = try Self.structured(SearchToolsTool.render(query: "add", limit: 5,
                                                                 view: CatalogView(unrestricted: Self.snapshot(unavailable: []))))
        #expect(answer["matches"]?.arrayValue?.first?["tool"]?.stringValue == "add")
        #expect(answer["unavailableServers"] == nil)
        #expect(answer["note"] == nil)
    }

    @Test func eachMatchOfASeveralNeedsQuerySaysWhichNeedItAnswers() throws {
        let view = CatalogView(unrestricted: try Self.snapshot(unavailable: []))
        let answer = try Self.structured(SearchToolsTool.render(query: "echo some text back, then add two integers", limit: 5, view: view))
        let matches = try #require(answer["matches"]?.arrayValue)
        let needs = Dictionary(uniqueKeysWithValues: matches.compactMap { match in
            match["tool"]?.stringValue.map { ($0, match["need"]?.stringValue) }
        })
        #expect(needs["echo"] == "echo some text back")
        #expect(needs["add"] == "add two integers")
        let single = try Self.structured(SearchToolsTool.render(query: "add two integers", limit: 5, view: view))
        #expect(single["matches"]?.arrayValue?.allSatisfy { $0["need"] == nil } == true)
    }
}
