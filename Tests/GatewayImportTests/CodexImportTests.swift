// Codex's config.toml: its servers read into the gateway's terms (named secrets as ${VAR}
// references, enabled/disabled tools as the backend's tools allow/deny, the tool timeout), and
// `--rewire`/`--restore` on the file as text: the server tables out, the gateway's table in, the
// rest byte for byte, and back.

import GatewayConfig
import Testing
@testable import GatewayImport

@Suite struct CodexImportTests {
    static let config = """
        model = "o3"  # the model

        [mcp_servers.github]
        command = "npx"
        args = ["-y", "@modelcontextprotocol/server-github"]
        env_vars = ["GITHUB_PERSONAL_ACCESS_TOKEN"]
        env = { LOG_LEVEL = "warn" }
        enabled_tools = ["search_*", "get_issue"]
        tool_timeout_sec = 90

        [mcp_servers.github.tools.create_issue]
        approval_mode = "prompt"

        [mcp_servers."notes-api"]
        url = "https://notes.example.com/mcp"
        bearer_token_env_var = "NOTES_TOKEN"
        env_http_headers = { "X-Tenant" = "NOTES_TENANT" }
        disabled_tools = ["delete_note"]
        enabled = false

        [projects."/home/me/app"]
        trust_level = "trusted"
        """

    @Test func serversAreReadWithTheirNamedSecretsAndToolLists() throws {
        var notes: [String] = []
        let servers = try CodexConfigReader.servers(in: Self.config, path: "config.toml", notes: &notes)
        #expect(servers.map(\.name) == ["github", "notes-api"])
        let github = servers[0]
        #expect(github.transport == .stdio(argv: ["npx", "-y", "@modelcontextprotocol/server-github"]))
        #expect(github.env.map(\.key) == ["LOG_LEVEL", "GITHUB_PERSONAL_ACCESS_TOKEN"])
        #expect(github.env.map(\.value) == ["warn", "${GITHUB_PERSONAL_ACCESS_TOKEN}"])
        #expect(github.allowTools == ["search_*", "get_issue"])
        #expect(github.timeout == "90s")
        let notesAPI = servers[1]
        #expect(notesAPI.transport == .remote(url: "https://notes.example.com/mcp", transport: "streamable_http"))
        #expect(notesAPI.headers.map(\.key) == ["X-Tenant", "Authorization"])
        #expect(notesAPI.headers.map(\.value) == ["${NOTES_TENANT}", "Bearer ${NOTES_TOKEN}"])
        #expect(notesAPI.denyTools == ["delete_note"])
        #expect(notesAPI.disabled)
    }

    @Test func theWrittenBackendsLoadWithTheVariablesSet() throws {
        var notes: [String] = []
        let servers = try CodexConfigReader.servers(in: Self.config, path: "config.toml", notes: &notes)
        let yaml = BackendsYAML.render(servers, keepSecrets: false, sources: ["config.toml"]).yaml
        let result = ConfigLoader.parse(yaml: yaml, file: "gateway.yaml", environment: [
            "GITHUB_PERSONAL_ACCESS_TOKEN": "t", "NOTES_TOKEN": "n", "NOTES_TENANT": "acme",
        ])
        #expect(result.errors.isEmpty, "\(result.errors)\n\(yaml)")
        let github = try #require(result.config?.backend(named: "github"))
        #expect(github.shaping.allow == ["search_*", "get_issue"])
        #expect(github.timeout == .seconds(90))
        #expect(github.env["GITHUB_PERSONAL_ACCESS_TOKEN"] == "t")
        let notesAPI = try #require(result.config?.backend(named: "notes-api"))
        #expect(notesAPI.headers["Authorization"] == "Bearer n")
        #expect(notesAPI.shaping.deny == ["delete_note"])
        #expect(!notesAPI.enabled)
    }

    @Test func notTOMLSaysWhere() {
        var notes: [String] = []
        #expect(throws: ImportProblem.self) {
            try CodexConfigReader.servers(in: "model = \n[broken", path: "config.toml", notes: &notes)
        }
    }

    @Test func rewireSwapsTheServerTablesForTheGatewaysAndRestorePutsThemBack() throws {
        let launch = GatewayLaunch(program: "/usr/bin/mcp-gateway", configPath: "/home/me/gateway.yaml")
        let (text, replaced) = try CodexRewire.rewire(Self.config, path: "config.toml", launch: launch)
        #expect(replaced == ["github", "notes-api"])
        #expect(text == """
            model = "o3"  # the model

            [mcp_servers.mcp-gateway]
            command = "/usr/bin/mcp-gateway"
            args = ["serve", "--stdio", "--config", "/home/me/gateway.yaml"]

            [projects."/home/me/app"]
            trust_level = "trusted"
            """)
        var notes: [String] = []
        #expect(try CodexConfigReader.servers(in: text, path: "config.toml", notes: &notes).map(\.name) == ["mcp-gateway"])
        #expect(throws: ImportProblem.self) { try CodexRewire.rewire(text, path: "config.toml", launch: launch) }
        let restored = try CodexRewire.restore(current: text, backup: Self.config, path: "config.toml")
        #expect(restored.text == Self.config)
    }

    @Test func serversOutsideTheirOwnTablesAreNotRewired() {
        let launch = GatewayLaunch(program: "g", configPath: "c")
        #expect(throws: ImportProblem.self) {
            try CodexRewire.rewire("[mcp_servers]\na = { command = \"a\" }\n", path: "config.toml", launch: launch)
        }
        #expect(throws: ImportProblem.self) {
            try CodexRewire.rewire("mcp_servers.a.command = \"a\"\n[mcp_servers.b]\ncommand = \"b\"\n", path: "config.toml", launch: launch)
        }
    }
}
