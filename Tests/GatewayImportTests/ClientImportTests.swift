// `mcp-gateway import`'s conversion: client config files of each JSON-family shape become a
// gateway.yaml that the gateway's own loader accepts, with the same programs, arguments, URLs
// and values, secrets as ${VAR} references (or in clear when asked), variables translated.

import GatewayConfig
import Testing
@testable import GatewayImport

@Suite struct ClientImportTests {
    /// Reads `text` as the file `path`, renders it, and loads the YAML with `environment`.
    func imported(_ text: String, path: String = "/home/me/.cursor/mcp.json", project: String? = nil,
                  keepSecrets: Bool = false, environment: [String: String] = [:])
        throws -> (result: ImportResult, config: GatewayConfig?, diagnostics: [ConfigDiagnostic]) {
        var notes: [String] = []
        let servers = try ClientConfigReader.servers(in: text, path: path, project: project, notes: &notes)
        let result = BackendsYAML.render(servers, keepSecrets: keepSecrets, workspaceFolder: "/work/app",
                                         sources: [path], notes: notes)
        let loaded = ConfigLoader.parse(yaml: result.yaml, file: "/tmp/imported.yaml", environment: environment)
        return (result, loaded.config, loaded.diagnostics)
    }

    @Test func claudeDesktopStdioWithASecretBecomesAReference() throws {
        let text = """
            {"mcpServers": {
              "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                         "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_example123", "LOG_LEVEL": "debug"}}
            }, "globalShortcut": "Ctrl+Space"}
            """
        let (result, config, diagnostics) = try imported(text, environment: ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_x"])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(!result.yaml.contains("ghp_example123"))
        #expect(result.variables.map(\.name) == ["GITHUB_PERSONAL_ACCESS_TOKEN"])
        let backend = try #require(config?.backends.first)
        #expect(backend.name == "github")
        #expect(backend.transport == .stdio(command: ["npx", "-y", "@modelcontextprotocol/server-github"]))
        #expect(backend.env == ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_x", "LOG_LEVEL": "debug"])
    }

    @Test func keepSecretsCopiesThemInClear() throws {
        let text = #"{"mcpServers": {"gh": {"command": "gh-mcp", "env": {"GH_TOKEN": "ghp_secret"}}}}"#
        let (result, config, _) = try imported(text, keepSecrets: true)
        #expect(result.variables.isEmpty)
        #expect(config?.backends.first?.env == ["GH_TOKEN": "ghp_secret"])
    }

    @Test func vsCodeJSONCWithInputsAndRemoteServers() throws {
        let text = """
            // VS Code's mcp.json: comments and trailing commas
            {
              "inputs": [{"type": "promptString", "id": "notes-token", "password": true}],
              "servers": {
                "notes api": {"type": "http", "url": "https://notes.example.com/mcp",
                              "headers": {"Authorization": "Bearer ${input:notes-token}",},},
                "legacy": {"type": "sse", "url": "https://old.example.com/sse"},
                "files": {"command": "node", "args": ["${workspaceFolder}/server.js", "--home", "${userHome}"],
                          "env": {"ROOT": "${env:HOME}/data", "PRICE": "5$ a month"}},
              },
            }
            """
        let environment = ["NOTES_TOKEN": "t0ken", "HOME": "/home/me"]
        let (result, config, diagnostics) = try imported(text, path: "/work/app/.vscode/mcp.json", environment: environment)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let backends = try #require(config?.backends)
        #expect(backends.map(\.name) == ["notes-api", "legacy", "files"])
        #expect(backends[0].transport == .http(url: "https://notes.example.com/mcp", mode: .streamableHTTP))
        #expect(backends[0].headers == ["Authorization": "Bearer t0ken"])
        #expect(backends[1].transport == .http(url: "https://old.example.com/sse", mode: .sse))
        #expect(backends[2].transport == .stdio(command: ["node", "/work/app/server.js", "--home", "/home/me"]))
        #expect(backends[2].env == ["ROOT": "/home/me/data", "PRICE": "5$ a month"])
        #expect(result.variables.map(\.name).contains("NOTES_TOKEN"))
        #expect(result.notes.contains { $0.contains("'notes api' is named 'notes-api'") })
    }

    @Test func zedNestedCommandAndWindowsWrapper() throws {
        let text = """
            {"theme": "One Dark", "context_servers": {
              "old-style": {"command": {"path": "uvx", "args": ["mcp-server-time"], "env": {"TZ": "UTC"}}},
              "win": {"command": "cmd", "args": ["/c", "npx", "-y", "some-server"]}
            }}
            """
        let (_, config, diagnostics) = try imported(text, path: "/home/me/.config/zed/settings.json")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let backends = try #require(config?.backends)
        #expect(backends[0].transport == .stdio(command: ["uvx", "mcp-server-time"]))
        #expect(backends[0].env == ["TZ": "UTC"])
        #expect(backends[1].transport == .stdio(command: ["npx", "-y", "some-server"]))
    }

    @Test func claudeCodeUserAndProjectEntriesAndDuplicatesKeptOnce() throws {
        let text = """
            {"numStartups": 4,
             "mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}},
             "projects": {"/work/app": {"mcpServers": {
                "clock": {"command": "uvx", "args": ["mcp-server-time"]},
                "db": {"command": "db-mcp", "disabled": true}}},
               "/work/other": {"mcpServers": {"elsewhere": {"command": "x"}}}}}
            """
        let (result, config, _) = try imported(text, path: "/home/me/.claude.json", project: "/work/app")
        let backends = try #require(config?.backends)
        #expect(backends.map(\.name) == ["time", "db"])
        #expect(backends[1].enabled == false)
        #expect(result.notes.contains { $0.contains("'clock'") && $0.contains("same server as 'time'") })
    }

    @Test func namesAreMadeValidAndUnique() {
        var used: Set<String> = []
        #expect(BackendsYAML.uniqueName("my server!", used: &used) == "my-server")
        #expect(BackendsYAML.uniqueName("my server?", used: &used) == "my-server-2")
        #expect(BackendsYAML.uniqueName("日本", used: &used) == "server")
    }

    @Test func secretsAreRecognisedByNameAndShapeButNotEverything() {
        #expect(SecretDetector.isSecret(name: "OPENAI_API_KEY", value: "abc"))
        #expect(SecretDetector.isSecret(name: "Authorization", value: "Basic abc"))
        #expect(SecretDetector.isSecret(name: "SOMETHING", value: "ghp_abcdef"))
        #expect(SecretDetector.isSecret(name: "CLIENTSECRET", value: "x"))
        #expect(!SecretDetector.isSecret(name: "PATH", value: "/usr/bin"))
        #expect(!SecretDetector.isSecret(name: "KEYBOARD_LAYOUT", value: "us"))
        #expect(!SecretDetector.isSecret(name: "GITHUB_TOKEN", value: "${GITHUB_TOKEN}"))
    }

    @Test func aFileThatIsNotJSONIsAClearError() {
        var notes: [String] = []
        #expect(throws: ImportProblem.self) {
            try ClientConfigReader.servers(in: "mcpServers: {}", path: "/x/mcp.json", notes: &notes)
        }
    }

    @Test func commentsAndTrailingCommasLeaveStringsAlone() {
        let plain = JSONCText.plainJSON(#"{"url": "https://a.example/x", /* c */ "b": [1, 2,], // end"# + "\n}")
        #expect(plain.contains("https://a.example/x"))
        #expect(!plain.contains("/* c */") && !plain.contains("2,]"))
    }
}
