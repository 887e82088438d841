// `--rewire` and `--restore` on each client's file format: only the server sections change (the
// rest of a JSONC settings file, comments included, stays as written), the gateway's entry is in
// the client's own shape, a second rewire is refused, and a restore gives back the file byte for
// byte, or keeps a server added beside the gateway since.

import MCPProtocol
import Testing
@testable import GatewayImport

@Suite struct ClientRewireTests {
    static let launch = GatewayLaunch(program: "/usr/local/bin/mcp-gateway", configPath: "/home/me/gateway.yaml")

    static func parsed(_ text: String) throws -> JSONValue {
        try JSONParser.parse(JSONCText.plainJSON(text))
    }

    @Test func cursorsServersBecomeTheGatewayAlone() throws {
        let original = #"{"mcpServers": {"a": {"command": "a"}, "b": {"url": "http://x"}}, "other": 1}"#
        let (text, replaced) = try ClientRewire.rewire(original, path: "m.json", client: .cursor, project: nil, launch: Self.launch)
        #expect(replaced == ["a", "b"])
        let json = try Self.parsed(text)
        #expect(json["other"] == .int(1))
        #expect(json["mcpServers"]?.objectValue?.keys == ["mcp-gateway"])
        #expect(json["mcpServers"]?["mcp-gateway"] == .object(JSONObject([
            ("command", "/usr/local/bin/mcp-gateway"), ("args", ["serve", "--stdio", "--config", "/home/me/gateway.yaml"]),
        ])))
        let restored = try ClientRewire.restore(current: text, backup: original, path: "m.json", client: .cursor, project: nil)
        #expect(restored.text == original)
        #expect(restored.notes.isEmpty)
    }

    @Test func vsCodeKeepsItsCommentsInputsAndTrailingCommas() throws {
        let original = """
            // my settings
            {
              "inputs": [{"id": "token", "type": "promptString"}], // prompts
              "servers": {
                /* the API */ "api": {"type": "http", "url": "https://api.example/mcp",},
              },
            }
            """
        let (text, _) = try ClientRewire.rewire(original, path: "mcp.json", client: .vscode, project: nil, launch: Self.launch)
        #expect(text.hasPrefix("// my settings\n{\n  \"inputs\": [{\"id\": \"token\", \"type\": \"promptString\"}], // prompts\n  \"servers\": {\n"))
        #expect(text.hasSuffix("  },\n}"))
        #expect(!text.contains("api.example"))
        #expect(try Self.parsed(text)["servers"]?["mcp-gateway"]?["type"] == .string("stdio"))
        let restored = try ClientRewire.restore(current: text, backup: original, path: "mcp.json", client: .vscode, project: nil)
        #expect(restored.text == original)
    }

    @Test func claudeCodesUserAndProjectSectionsAreBothRewired() throws {
        let original = #"{"numStartups": 3, "mcpServers": {"u": {"command": "u"}}, "projects": {"/p": {"mcpServers": {"p": {"command": "p"}}, "history": []}}}"#
        let (text, replaced) = try ClientRewire.rewire(original, path: "~/.claude.json", client: .claudeCode, project: "/p",
                                                       launch: Self.launch)
        #expect(replaced == ["u", "p"])
        let json = try Self.parsed(text)
        #expect(json["mcpServers"]?["mcp-gateway"]?["type"] == .string("stdio"))
        #expect(json["projects"]?["/p"]?["mcpServers"]?.objectValue?.keys == ["mcp-gateway"])
        #expect(json["projects"]?["/p"]?["history"] == .array([]))
        // Claude Code rewrote its file since (a counter changed): the restore keeps that change.
        let since = text.replacingOccurrences(of: "\"numStartups\": 3", with: "\"numStartups\": 9")
        let restored = try ClientRewire.restore(current: since, backup: original, path: "c.json", client: .claudeCode, project: "/p")
        #expect(restored.text == original.replacingOccurrences(of: "\"numStartups\": 3", with: "\"numStartups\": 9"))
    }

    @Test func zedGetsItsContextServerShape() throws {
        let original = #"{"theme": "One Dark", "context_servers": {"files": {"command": "files", "args": []}}}"#
        let (text, _) = try ClientRewire.rewire(original, path: "settings.json", client: .zed, project: nil, launch: Self.launch)
        let entry = try Self.parsed(text)["context_servers"]?["mcp-gateway"]
        #expect(entry?["command"] == .string("/usr/local/bin/mcp-gateway"))
        #expect(entry?["args"]?.arrayValue?.count == 4)
        #expect(try Self.parsed(text)["theme"] == .string("One Dark"))
    }

    @Test func aRewiredFileIsNotRewiredTwiceAndAnEmptyOneHasNothingToReplace() throws {
        let (text, _) = try ClientRewire.rewire(#"{"mcpServers": {"a": {"command": "a"}}}"#, path: "m.json", client: .cursor,
                                                project: nil, launch: Self.launch)
        #expect(throws: ImportProblem.self) {
            try ClientRewire.rewire(text, path: "m.json", client: .cursor, project: nil, launch: Self.launch)
        }
        #expect(throws: ImportProblem.self) {
            try ClientRewire.rewire(#"{"mcpServers": {}}"#, path: "m.json", client: .cursor, project: nil, launch: Self.launch)
        }
    }

    @Test func aServerAddedBesideTheGatewayIsKeptByTheRestore() throws {
        let original = #"{"mcpServers": {"a": {"command": "a"}}}"#
        let (text, _) = try ClientRewire.rewire(original, path: "m.json", client: .cursor, project: nil, launch: Self.launch)
        var json = try Self.parsed(text).objectValue ?? JSONObject()
        var servers = json["mcpServers"]?.objectValue ?? JSONObject()
        servers["new"] = .object(JSONObject([("command", "new")]))
        json["mcpServers"] = .object(servers)
        let current = String(decoding: JSONWriter.encode(.object(json)), as: UTF8.self)
        let restored = try ClientRewire.restore(current: current, backup: original, path: "m.json", client: .cursor, project: nil)
        let back = try Self.parsed(restored.text)["mcpServers"]?.objectValue
        #expect(back?.keys == ["a", "new"])
        #expect(restored.notes == ["'new' was added since the rewire: kept"])
    }
}

@Suite struct YAMLMergeTests {
    static let entries = ["  new:", "    command: [\"new\"]"]

    @Test func entriesGoAtTheEndOfTheBlockInItsIndentation() throws {
        let existing = "# mine\nbackends:\n    git:\n        command: git   # kept\n\n# about telemetry\ntelemetry:\n  metrics: true\n"
        let merged = try YAMLMerge.merge(existing: existing, entries: Self.entries, comment: ["# imported"], path: "g.yaml")
        #expect(merged == "# mine\nbackends:\n    git:\n        command: git   # kept\n    # imported\n    new:\n        command: [\"new\"]\n\n# about telemetry\ntelemetry:\n  metrics: true\n")
    }

    @Test func anEmptyOrMissingSectionGetsTheEntries() throws {
        #expect(try YAMLMerge.merge(existing: "backends: {}  # none yet\n", entries: Self.entries, comment: [], path: "g.yaml")
            == "backends:\n  new:\n    command: [\"new\"]\n")
        #expect(try YAMLMerge.merge(existing: "server:\n  port: 1\n", entries: Self.entries, comment: [], path: "g.yaml")
            == "server:\n  port: 1\n\nbackends:\n  new:\n    command: [\"new\"]\n")
        #expect(try YAMLMerge.merge(existing: "backends:\n", entries: Self.entries, comment: [], path: "g.yaml")
            == "backends:\n  new:\n    command: [\"new\"]\n")
    }

    @Test func aOneLineSectionWithEntriesIsRefused() {
        #expect(throws: ImportProblem.self) {
            try YAMLMerge.merge(existing: "backends: {git: {command: git}}\n", entries: Self.entries, comment: [], path: "g.yaml")
        }
    }

    @Test func theDiffShowsTheAddedLinesWithContext() {
        let diff = LineDiff.unified(old: "a\nb\nc\nd\n", new: "a\nb\nc\nx\ny\nd\n", oldName: "f", newName: "f (merged)")
        #expect(diff == "--- f\n+++ f (merged)\n@@ -1,5 +1,7 @@\n a\n b\n c\n+x\n+y\n d\n \n")
        #expect(LineDiff.unified(old: "same\n", new: "same\n", oldName: "f", newName: "g").isEmpty)
    }
}
