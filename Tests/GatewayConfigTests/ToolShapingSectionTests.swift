// A backend's tool shaping keys: `tools {allow, deny}`, `rename`, `descriptions`, `arguments`,
// `max_result_bytes`. Values keep their YAML types (a quoted number stays a string), and every
// mistake is an error at its line that says what is expected.

import MCPProtocol
import Testing
@testable import GatewayConfig

@Suite struct ToolShapingSectionTests {
    @Test func everyKeyIsRead() throws {
        let result = parse("""
            backends:
              git:
                command: mcp-server-git
                tools:
                  allow: ["git_*"]
                  deny: [git_reset, "git_*_staged"]
                rename:
                  git_status: status
                descriptions:
                  git_log: Recent commits of the project
                  "git_diff*": {append: Keep diffs short.}
                arguments:
                  "git_*":
                    fixed: {repo_path: /srv/repo}
                  git_log:
                    defaults: {max_count: 5, verbose: false, since: "10", ratio: 0.5, tags: [a, b], none: null}
                    hide: [timestamps]
                max_result_bytes: 64KB
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let shaping = try #require(result.config?.backends.first?.shaping)
        #expect(shaping.allow == ["git_*"])
        #expect(shaping.deny == ["git_reset", "git_*_staged"])
        #expect(shaping.rename == ["git_status": "status"])
        #expect(shaping.descriptions == [DescriptionRule(tool: "git_log", change: .replace("Recent commits of the project")),
                                         DescriptionRule(tool: "git_diff*", change: .append("Keep diffs short."))])
        #expect(shaping.arguments.count == 2)
        #expect(shaping.arguments[0] == ArgumentRule(tool: "git_*", fixed: JSONObject([("repo_path", "/srv/repo")])))
        let log = shaping.arguments[1]
        #expect(log.defaults["max_count"] == .int(5))
        #expect(log.defaults["verbose"] == .bool(false))
        #expect(log.defaults["since"] == .string("10"))
        #expect(log.defaults["ratio"] == .double(0.5))
        #expect(log.defaults["tags"] == .array(["a", "b"]))
        #expect(log.defaults["none"] == .null)
        #expect(log.hide == ["timestamps"])
        #expect(shaping.maxResultBytes == 64_000)
        #expect(!shaping.isEmpty)
    }

    @Test func withoutTheKeysNothingIsShaped() throws {
        let backend = try #require(parse("backends:\n  a: {command: a}\n").config?.backends.first)
        #expect(backend.shaping.isEmpty)
    }

    @Test func argumentValuesExpandVariables() throws {
        let result = parse("""
            backends:
              a:
                command: a
                arguments:
                  search:
                    fixed:
                      region: "${REGION}"
                      limit: ${LIMIT}
            """, environment: ["REGION": "eu", "LIMIT": "20"])
        let rule = try #require(result.config?.backends.first?.shaping.arguments.first)
        #expect(rule.fixed["region"] == .string("eu"))
        #expect(rule.fixed["limit"] == .int(20))
    }

    @Test func mistakesAreErrorsAtTheirLines() {
        let result = parse("""
            backends:
              a:
                command: a
                tools: {allow: [read_*], denny: [x]}
                rename: {"read_*": r, write_file: "bad name!"}
                descriptions:
                  x: {replace: a, append: b}
                arguments:
                  search: {defaults: {limit: 5}, fixed: {limit: 10}}
                  other: {defaults: [limit]}
                max_result_bytes: 100
            """)
        #expect(result.config == nil)
        let paths = result.errors.map(\.path)
        #expect(paths.contains("backends.a.tools.denny"))
        #expect(result.error(at: "backends.a.tools.denny")?.message.contains("did you mean 'deny'") == true)
        #expect(result.error(at: "backends.a.rename.read_*")?.message.contains("not globs") == true)
        #expect(result.error(at: "backends.a.rename.write_file")?.message.contains("invalid tool name 'bad name!'") == true)
        #expect(result.error(at: "backends.a.descriptions.x")?.message.contains("one of 'replace' or 'append'") == true)
        #expect(result.error(at: "backends.a.arguments.search")?.message.contains("both in 'defaults' and in 'fixed'") == true)
        #expect(result.error(at: "backends.a.arguments.other.defaults")?.message.contains("mapping of argument names") == true)
        #expect(result.error(at: "backends.a.max_result_bytes")?.message.contains("at least 256") == true)
        #expect(result.error(at: "backends.a.tools.denny")?.line == 4)
        #expect(result.error(at: "backends.a.max_result_bytes")?.line == 11)
    }

    @Test func twoToolsRenamedToOneNameIsAnError() {
        let result = parse("""
            backends:
              a:
                command: a
                rename: {read_file: read, read_text_file: read}
            """)
        #expect(result.singleError?.message.contains("renames both 'read_file' and 'read_text_file' to 'read'") == true)
    }

    @Test func toolsMustBeAMappingOfLists() {
        let result = parse("backends:\n  a:\n    command: a\n    tools: [read_file]\n")
        #expect(result.singleError?.path == "backends.a.tools")
        #expect(result.singleError?.message.contains("expected a mapping") == true)
    }
}
