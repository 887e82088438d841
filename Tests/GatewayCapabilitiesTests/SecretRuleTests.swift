// The secret rule: credentials come only from the file's side (auth key, {env.NAME} in the file's own
// templates). A caller's value is sent exactly as given, even when it looks like a secret reference.

import LoopbackTestServer
import GatewayCapabilities
import MCPProtocol
import Foundation
import Testing

@Suite struct SecretRuleTests {
    static let yaml = """
        name: echo
        description: Echo.
        schema:
          input:
            type: object
            properties: {q: {type: string}, note: {type: string}}
            required: [q]
        auth: {type: api_key, key: env:ECHO_KEY, header: X-Api-Key}
        providers:
          primary:
            config:
              base_url: https://api.example.com
              path: /echo/{q}
              method: POST
              params: {q: "{q}", app: "{env.ECHO_APP}"}
              headers: {X-Note: "{note}", X-Client: "{env.ECHO_APP}"}
              body: {q: "{q}", note: "{note}"}
        """

    @Test func callerValuesThatLookLikeSecretsAreSentLiterally() async throws {
        let server = try await LoopbackServer { _ in .json(#"{"ok":true}"#) }
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("echo.yaml", Self.yaml)
        let environment = ["ECHO_KEY": "k-123456", "ECHO_APP": "app-7", "HOME": "/home/secret-home"]
        let settings = testSettings(directories: [directory.path], environment: environment, allowEnv: ["ECHO_KEY", "ECHO_APP"],
                                    originOverrides: ["https://api.example.com": server.origin])
        try await withCatalog(settings) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "echo", arguments: json(#"{"q":"{env.HOME}","note":"${HOME} {env.ECHO_KEY}"}"#)))
            #expect(!outcome.isError, "\(outcome.texts)")
        }
        let request = try #require(server.requests.first)
        #expect(request.uri == "/echo/%7Benv.HOME%7D?q=%7Benv.HOME%7D&app=app-7")
        #expect(request.header("X-Note") == "${HOME} {env.ECHO_KEY}")
        #expect(request.header("X-Client") == "app-7")
        #expect(request.header("X-Api-Key") == "k-123456")
        #expect(request.bodyText == #"{"q":"{env.HOME}","note":"${HOME} {env.ECHO_KEY}"}"#)
        #expect(!request.bodyText.contains("secret-home") && !request.bodyText.contains("k-123456"))
    }

    @Test func secretsNeverReachTheResult() async throws {
        // A server that echoes what it got (as some APIs do) must not hand the credential to the model.
        let server = try await LoopbackServer { request in
            .json("{\"seen\":\"\(request.header("X-Api-Key") ?? "")\",\"uri\":\"\(request.uri)\"}")
        }
        defer { Task { await server.stop() } }
        let definition = try #require(loadCapability(Self.yaml).definition)
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("echo.yaml", Self.yaml)
        let settings = testSettings(directories: [directory.path], environment: ["ECHO_KEY": "k-123456", "ECHO_APP": "app-7"],
                                    allowEnv: ["ECHO_KEY", "ECHO_APP"],
                                    originOverrides: ["https://api.example.com": server.origin])
        try await withCatalog(settings) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: definition.name, arguments: json(#"{"q":"x"}"#)))
            #expect(!outcome.text.contains("k-123456"))
            #expect(!outcome.text.contains("app-7"))
            #expect(outcome.structured?["seen"] == "[secret]")
        }
    }

    @Test func missingRequiredCredentialIsAClearError() async throws {
        let yaml = Self.yaml.replacingOccurrences(of: "header: X-Api-Key}", with: "header: X-Api-Key, required: true}")
            .replacingOccurrences(of: "app: \"{env.ECHO_APP}\"", with: "app: fixed")
            .replacingOccurrences(of: "X-Client: \"{env.ECHO_APP}\"", with: "X-Client: fixed")
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("echo.yaml", yaml)
        try await withCatalog(testSettings(directories: [directory.path], allowEnv: ["ECHO_KEY"])) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "echo", arguments: json(#"{"q":"x"}"#)))
            #expect(outcome.isError)
            #expect(outcome.text == "this capability needs a credential from env:ECHO_KEY, which is not set for the gateway")
        }
    }

    @Test func examplesShowPlaceholdersNotSecrets() throws {
        let definition = try #require(loadCapability(Self.yaml).definition)
        let request = try ExampleChecker.previewRequest(definition, arguments: ["q": "x"])
        #expect(request.header("X-Api-Key") == "<ECHO_KEY>")
        #expect(request.url.contains("app=%3CECHO_APP%3E"))
    }
}
