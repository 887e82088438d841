// ToolShaper, EffectiveArgumentRules and ResultTruncation on their own: which tools a shaped
// list keeps and under which names, the schema clients see, the arguments the backend gets, and
// a cut result that stays valid JSON within its limit and says what it lost.

import GatewayBackends
import GatewayConfig
import MCPProtocol
import Testing

@Suite struct ToolShaperTests {
    static func tool(_ name: String, description: String = "d", schema: String = #"{"type":"object"}"#,
                     extra: String = "") -> ToolDefinition {
        let raw = #"{"name":"\#(name)","description":"\#(description)","inputSchema":\#(schema)\#(extra)}"#
        let bytes = Array(raw.utf8)
        // Force-unwrap free: a malformed fixture fails the test through #require at the call site.
        return (try? ToolDefinition.parseTool(bytes, 0..<bytes.count)).flatMap { $0 }
            ?? ToolDefinition(name: "malformed fixture", description: "", inputSchema: RawJSON(string: "{}"))
    }

    static let schema = #"{"type":"object","properties":{"repo_path":{"type":"string"},"max_count":{"type":"integer"},"debug":{"type":"boolean"},"query":{"type":"string"}},"required":["repo_path","query","debug"]}"#

    @Test func nothingToShapeMakesNoShaper() {
        #expect(ToolShaper(settings: ToolShapingSettings()) == nil)
    }

    @Test func allowAndDenyDecideWhatIsExposedDenyWinning() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(allow: ["git_*", "status"], deny: ["git_reset"])))
        let tools = ["git_log", "git_reset", "status", "other"].map { Self.tool($0) }
        #expect(shaper.shape(tools).tools.map(\.name) == ["git_log", "status"])
        #expect(shaper.originalName(ofExposed: "git_log") == "git_log")
        #expect(shaper.originalName(ofExposed: "git_reset") == nil)
        #expect(shaper.originalName(ofExposed: "other") == nil)
    }

    @Test func aRenamedToolAnswersOnlyToItsNewName() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(rename: ["read_file": "read"])))
        let shaped = shaper.shape([Self.tool("read_file"), Self.tool("write_file")]).tools
        #expect(shaped.map(\.name) == ["read", "write_file"])
        // The relayed definition carries the new name too.
        #expect(try shaped[0].raw.parsed()["name"] == .string("read"))
        #expect(shaper.originalName(ofExposed: "read") == "read_file")
        #expect(shaper.originalName(ofExposed: "read_file") == nil)
    }

    @Test func aRenameOntoAnExistingNameHidesTheOtherToolAndSaysSo() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(rename: ["search_v2": "search"])))
        let (tools, problems) = shaper.shape([Self.tool("search"), Self.tool("search_v2", description: "new")])
        #expect(tools.map(\.name) == ["search"])
        #expect(tools[0].description == "new")
        #expect(problems.contains { $0.contains("'search' is hidden") })
    }

    @Test func descriptionsAreReplacedOrAppendedFirstMatchWinning() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(descriptions: [
            DescriptionRule(tool: "a", change: .replace("Only this")),
            DescriptionRule(tool: "*", change: .append("Project files only.")),
        ])))
        let shaped = shaper.shape([Self.tool("a", description: "old"), Self.tool("b", description: "Reads.")]).tools
        #expect(shaped.map(\.description) == ["Only this", "Reads.\n\nProject files only."])
        #expect(try shaped[1].raw.parsed()["description"] == .string("Reads.\n\nProject files only."))
    }

    @Test func unchangedToolsKeepTheirBytes() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(rename: ["x": "y"])))
        let tool = Self.tool("a", extra: #","annotations":{"readOnlyHint":true},"_meta":{"k":1}"#)
        #expect(shaper.shape([tool]).tools == [tool])
    }

    @Test func theSchemaLosesFixedAndHiddenArgumentsAndShowsDefaults() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(arguments: [
            ArgumentRule(tool: "git_*", fixed: JSONObject([("repo_path", "/srv/repo")])),
            ArgumentRule(tool: "git_log", defaults: JSONObject([("max_count", 5)]), hide: ["debug"]),
        ])))
        let (tools, problems) = shaper.shape([Self.tool("git_log", schema: Self.schema, extra: #","outputSchema":{"type":"object"}"#)])
        let schema = try tools[0].inputSchema.parsed()
        #expect(schema["properties"]?.objectValue?.keys == ["max_count", "query"])
        #expect(schema["properties"]?["max_count"]?["default"] == .int(5))
        #expect(schema["required"] == .array(["query"]))
        // Other members of the definition survive.
        #expect(try tools[0].raw.parsed()["outputSchema"] == .object(JSONObject([("type", "object")])))
        #expect(try tools[0].raw.parsed()["inputSchema"] == schema)
        // `debug` is required and hidden with nothing to send instead: every call would fail.
        #expect(problems == ["arguments: tool 'git_log' needs 'debug', which is hidden with no default or fixed value: its calls will fail"])
    }

    @Test func aCallsArgumentsGetDefaultsAndFixedValuesAndLoseHiddenOnes() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(arguments: [
            ArgumentRule(tool: "git_*", fixed: JSONObject([("repo_path", "/srv/repo")])),
            ArgumentRule(tool: "git_log", defaults: JSONObject([("max_count", 5)]), hide: ["debug"]),
        ])))
        let rules = try #require(shaper.argumentRules(for: "git_log"))
        let shaped = rules.shapeArguments(Array(#"{"query":"x","repo_path":"/etc","debug":true}"#.utf8))
        #expect(try JSONParser.parse(shaped) == .object(JSONObject([("query", "x"), ("max_count", 5), ("repo_path", "/srv/repo")])))
        // A value the caller gives wins over a default.
        let given = rules.shapeArguments(Array(#"{"max_count":2}"#.utf8))
        #expect(try JSONParser.parse(given) == .object(JSONObject([("max_count", 2), ("repo_path", "/srv/repo")])))
        // No arguments at all still get the fixed ones.
        #expect(try JSONParser.parse(rules.shapeArguments([])) == .object(JSONObject([("max_count", 5), ("repo_path", "/srv/repo")])))
        // Not an object: left for the backend to refuse.
        #expect(rules.shapeArguments(Array("[1]".utf8)) == Array("[1]".utf8))
        #expect(shaper.argumentRules(for: "status") == nil)
    }

    @Test func aLaterRuleOverridesAnEarlierOneForTheSameArgument() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(arguments: [
            ArgumentRule(tool: "*", fixed: JSONObject([("limit", 10)])),
            ArgumentRule(tool: "search", defaults: JSONObject([("limit", 3)])),
        ])))
        let rules = try #require(shaper.argumentRules(for: "search"))
        #expect(rules.fixed["limit"] == nil)
        #expect(rules.defaults["limit"] == .int(3))
    }

    @Test func problemsNameShapingThatMatchesNoTool() throws {
        let shaper = try #require(ToolShaper(settings: ToolShapingSettings(
            rename: ["gone": "g"], descriptions: [DescriptionRule(tool: "missing", change: .replace("x"))],
            arguments: [ArgumentRule(tool: "absent", hide: ["a"]), ArgumentRule(tool: "any_*", hide: ["a"])])))
        let problems = shaper.shape([Self.tool("present")]).problems
        #expect(problems == ["rename: the server lists no tool 'gone'", "descriptions: the server lists no tool 'missing'",
                             "arguments: the server lists no tool 'absent'"])
    }
}

@Suite struct ResultTruncationTests {
    static func result(text: String, extra: String = "") -> [UInt8] {
        var out = Array(#"{"content":[{"type":"text","text":"#.utf8)
        JSONWriter.writeString(text, into: &out)
        out += Array(#"}\#(extra)]}"#.utf8)
        return out
    }

    @Test func aResultThatFitsIsLeftAlone() {
        #expect(ResultTruncation.cut(Self.result(text: "short"), limit: 1000, server: "s", declaresOutputSchema: false) == nil)
    }

    @Test func aLongTextIsCutWithinTheLimitWithANote() throws {
        let long = String(repeating: "0123456789", count: 1000)
        let cut = try #require(ResultTruncation.cut(Self.result(text: long), limit: 1024, server: "files", declaresOutputSchema: false))
        #expect(cut.count <= 1024)
        let parsed = try JSONParser.parse(cut)
        let text = try #require(parsed["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.hasPrefix("0123456789012"))
        #expect(text.contains("the result was 10039 bytes, cut to fit max_result_bytes (1024) of server 'files'"))
        #expect(parsed["isError"] == nil)
    }

    @Test func theCutNeverSplitsACharacterAndCountsEscapes() throws {
        let long = String(repeating: "é\"€\n😀", count: 500)
        let cut = try #require(ResultTruncation.cut(Self.result(text: long), limit: 600, server: "s", declaresOutputSchema: false))
        #expect(cut.count <= 600)
        let text = try #require(try JSONParser.parse(cut)["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.hasPrefix("é\"€\n😀"))
        #expect(!text.contains("\u{FFFD}"))
    }

    @Test func imagesAndStructuredContentAreLeftOutAndSaid() throws {
        let image = #",{"type":"image","data":"\#(String(repeating: "A", count: 4000))","mimeType":"image/png"}"#
        var bytes = Self.result(text: "caption", extra: image)
        bytes.removeLast()
        bytes += Array(#","structuredContent":{"rows":[1,2,3]}}"#.utf8)
        let plain = try #require(ResultTruncation.cut(bytes, limit: 512, server: "s", declaresOutputSchema: false))
        let parsed = try JSONParser.parse(plain)
        let text = try #require(parsed["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.hasPrefix("caption"))
        #expect(text.contains("left out: 1 image item"))
        #expect(text.contains("structured content dropped"))
        #expect(parsed["structuredContent"] == nil)
        #expect(parsed["isError"] == nil)
        // A tool that promised an output schema cannot answer without it: an error result.
        let promised = try #require(ResultTruncation.cut(bytes, limit: 512, server: "s", declaresOutputSchema: true))
        #expect(try JSONParser.parse(promised)["isError"] == .bool(true))
    }

    @Test func aResultThatIsNotContentIsCutAsText() throws {
        let bytes = Array(("{\"weird\":\"" + String(repeating: "x", count: 2000) + "\"}").utf8)
        let cut = try #require(ResultTruncation.cut(bytes, limit: 300, server: "s", declaresOutputSchema: false))
        #expect(cut.count <= 300)
        #expect(try JSONParser.parse(cut)["content"]?.arrayValue?.count == 1)
    }
}
