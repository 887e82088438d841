// A principal's view of the shared catalog: hidden tools and servers are gone from entries,
// counts, search (on the one index, filtered per query) and unknown-name answers; views are
// shared by principals with the same rules and rebuilt when the rules or the catalog change.

import GatewayAuth
import GatewayConfig
import GatewayGovernance
import MCPProtocol
import Testing
@testable import GatewayCore

@Suite struct CatalogViewTests {
    static func snapshot(generation: Int = 1) throws -> CatalogSnapshot {
        func page(_ tools: [(String, String)]) throws -> [ToolDefinition] {
            let items = tools.map { #"{"name":"\#($0.0)","description":"\#($0.1)","inputSchema":{"type":"object"}}"# }
            return try ToolDefinition.parsePage(Array(#"{"tools":[\#(items.joined(separator: ","))]}"#.utf8)).tools
        }
        let alpha = try page([("echo", "Echo text back unchanged."), ("add", "Add two integers."), ("delete_file", "Delete a file.")])
        let beta = try page([("echo", "Echo text back, from beta."), ("search_issues", "Search issues.")])
        return CatalogSnapshot(entries: alpha.map { CatalogEntry(server: "alpha", tool: $0) } + beta.map { CatalogEntry(server: "beta", tool: $0) },
                               servers: [("alpha", ""), ("beta", "")], unavailableServers: ["beta"], generation: generation)
    }

    static func control(_ rules: AccessRuleSettings) -> AccessControl {
        var config = GatewayConfig()
        config.auth.apiKeys = [APIKeySettings(name: "k", key: "k-0123456789abcdef", rules: PrincipalRuleSettings(access: rules))]
        return AccessControl(config: config)
    }

    static let key = Principal(name: "k", method: .apiKey, isAdmin: false)

    @Test func aViewHasOnlyWhatItsPrincipalSees() throws {
        let control = Self.control(AccessRuleSettings(allowedServers: ["alpha"], deniedTools: ["*:delete_*"]))
        let view = control.view(of: try Self.snapshot(), for: Self.key)
        #expect(view.isFiltered)
        #expect(view.entries.map(\.tool.name) == ["echo", "add"])
        #expect(view.serverNames == ["alpha"] && view.unavailableServers == [])
        #expect(view.entry(server: "alpha", tool: "delete_file") == nil && view.entry(server: "alpha", tool: "add") != nil)
        #expect(view.toolCounts()["alpha"] == 2 && view.toolCounts()["beta"] == nil)
        #expect(!view.isServerVisible("beta"))
        // Search filters per query on the shared index.
        #expect(view.search("echo text back", limit: 5).map { "\($0.entry.server)/\($0.entry.tool.name)" } == ["alpha/echo"])
        #expect(view.search("delete a file", limit: 5).allSatisfy { $0.entry.tool.name != "delete_file" })
        // Other principals still see everything.
        let admin = control.view(of: try Self.snapshot(), for: .unauthenticated)
        #expect(!admin.isFiltered && admin.entries.count == 5)
    }

    @Test func unknownNameAnswersSuggestNothingHidden() throws {
        let view = Self.control(AccessRuleSettings(allowedServers: ["alpha"], deniedTools: ["*:delete_*"])).view(of: try Self.snapshot(), for: Self.key)
        let tool = try JSONParser.parse(UnknownNameReply.unknownTool("delete_fil", server: "alpha", catalog: view))
        let text = tool["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(!text.contains("delete_file") && !text.contains("beta"))
        let server = try JSONParser.parse(UnknownNameReply.unknownServer("bet", tool: "search_issues", catalog: view))
        #expect(server["structuredContent"]?["servers"] == ["alpha"])
        #expect(server["structuredContent"]?["suggestions"] == .array([]))
        #expect(server["structuredContent"]?["hits"]?.arrayValue?.isEmpty == true)
    }

    @Test func viewsAreSharedAndRebuiltWhenRulesOrCatalogChange() throws {
        let control = Self.control(AccessRuleSettings(deniedTools: ["add"]))
        let first = control.view(of: try Self.snapshot(generation: 1), for: Self.key)
        #expect(first.entries.count == 4)
        let newer = control.view(of: try Self.snapshot(generation: 2), for: Self.key)
        #expect(newer.snapshot.generation == 2)
        var config = GatewayConfig()
        config.auth.apiKeys = [APIKeySettings(name: "k", key: "k-0123456789abcdef")]
        control.update(config: config)
        #expect(!control.view(of: try Self.snapshot(generation: 2), for: Self.key).isFiltered)
    }
}
