// Every key of a backend entry, name rules, and keys that do not fit the backend's transport.

import Testing
@testable import GatewayConfig

@Suite struct BackendSectionTests {
    @Test func stdioBackendEveryKey() throws {
        let result = parse("""
            server:
              request_timeout: 5m
            backends:
              git:
                command: uvx mcp-server-git --repository "/src/my repo"
                description: Git tools
                env:
                  GIT_AUTHOR_NAME: Ada
                  DEBUG: yes
                cwd: /srv
                timeout: 45s
                enabled: false
            """)
        #expect(result.diagnostics.isEmpty)
        let backend = try #require(result.config?.backends.first)
        #expect(backend.name == "git")
        #expect(backend.transport == .stdio(command: ["uvx", "mcp-server-git", "--repository", "/src/my repo"]))
        #expect(backend.description == "Git tools")
        #expect(backend.env == ["GIT_AUTHOR_NAME": "Ada", "DEBUG": "yes"])
        #expect(backend.cwd == "/srv")
        #expect(backend.timeout == .seconds(45))
        #expect(backend.enabled == false)
        #expect(backend.headers.isEmpty)
    }

    @Test func httpBackendEveryKey() throws {
        let result = parse("""
            server:
              request_timeout: 5m
            backends:
              docs:
                http_url: https://docs.example/mcp
                transport: streamable_http
                headers:
                  Authorization: Bearer abc
                  X-Team: core
                timeout: 2m
            """)
        #expect(result.diagnostics.isEmpty)
        let backend = try #require(result.config?.backends.first)
        #expect(backend.transport == .http(url: "https://docs.example/mcp", mode: .streamableHTTP))
        #expect(backend.headers == ["Authorization": "Bearer abc", "X-Team": "core"])
        #expect(backend.timeout == .seconds(120))
        #expect(backend.enabled)
        #expect(backend.description == "")
    }

    @Test func backendsKeepFileOrder() {
        let result = parse("""
            backends:
              zeta: {command: z}
              alpha: {command: a}
              mid: {http_url: "http://localhost:1/mcp"}
            """)
        #expect(result.config?.backends.map(\.name) == ["zeta", "alpha", "mid"])
    }

    @Test func commandAsList() {
        let result = parse("""
            backends:
              py:
                command: ["python3", "-m", "server", "--name", "it's \\"quoted\\""]
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.config?.backends.first?.transport == .stdio(command: ["python3", "-m", "server", "--name", "it's \"quoted\""]))
    }

    @Test(arguments: ["my/server", "a b", "c:d", "back\\slash", "ünï"])
    func invalidBackendNames(_ name: String) {
        let result = parse("backends:\n  '\(name)':\n    command: x\n")
        #expect(result.config == nil)
        #expect(result.singleError?.message.hasPrefix("invalid backend name '\(name)'") == true)
        #expect(result.singleError?.line == 2)
    }

    @Test(arguments: ["git", "my-server", "Server_2", "0"])
    func validBackendNames(_ name: String) {
        #expect(parse("backends:\n  \(name):\n    command: x\n").diagnostics.isEmpty)
    }

    @Test func needsExactlyOneOfCommandAndURL() {
        let result = parse("""
            backends:
              none:
                description: nothing to run
              both:
                command: x
                http_url: http://localhost/mcp
              empty:
            """)
        #expect(result.errorMessages == [
            "backend 'none' needs 'command' (a local process) or 'http_url' (a remote server)",
            "backend 'both' has both 'command' and 'http_url'; give exactly one",
            "backend 'empty' needs 'command' (a local process) or 'http_url' (a remote server)",
        ])
        #expect(result.errors.map(\.line) == [2, 4, 7])
    }

    @Test func emptyCommandIsAnError() {
        let result = parse("backends:\n  a:\n    command: \"  \"\n  b:\n    command: []\n")
        #expect(result.errorMessages == [
            "'backends.a.command' must start with the program to run",
            "'backends.b.command' must start with the program to run",
        ])
    }

    @Test func unterminatedQuoteInCommand() {
        let result = parse("backends:\n  a:\n    command: npx 'unterminated\n")
        #expect(result.singleError?.message == "cannot split 'backends.a.command' into arguments: unterminated single quote (opened at character 5)")
        #expect(result.singleError?.line == 3)
    }

    @Test func shellOperatorInCommandWarns() {
        let result = parse("backends:\n  a:\n    command: cd /x && run\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.first?.message.contains("contains '&&'") == true)
    }

    @Test func commandMustBeStringOrList() {
        let result = parse("backends:\n  a:\n    command: {program: x}\n")
        #expect(result.singleError?.message == "expected a command string or a list of arguments for 'backends.a.command', found a mapping")
    }

    @Test func badEnvAndHeaderNames() {
        let result = parse("""
            backends:
              a:
                http_url: http://localhost/mcp
                headers:
                  "Bad Header": x
                  X-Ok: "line\\nbreak"
              b:
                command: x
                env:
                  "A=B": x
                  EMPTY:
            """)
        #expect(result.errors.map(\.path) == [
            "backends.a.headers.Bad Header", "backends.a.headers.X-Ok", "backends.b.env.A=B", "backends.b.env.EMPTY",
        ])
    }

    @Test func envValuesKeepTheirText() {
        let result = parse("backends:\n  a:\n    command: x\n    env: {PORT: 08, ON: true, EMPTY: \"\"}\n")
        #expect(result.config?.backends.first?.env == ["PORT": "08", "ON": "true", "EMPTY": ""])
    }

    @Test func keysThatDoNotFitTheTransportWarn() {
        let result = parse("""
            backends:
              local:
                command: x
                headers: {A: b}
                streamable_http: true
              remote:
                http_url: http://localhost/mcp
                env: {A: b}
                cwd: /tmp
            """)
        #expect(result.errors.isEmpty)
        #expect(result.warningMessages == [
            "'headers' applies only to 'http_url' backends and is ignored",
            "'streamable_http' applies only to 'http_url' backends and is ignored",
            "'env' applies only to 'command' backends and is ignored",
            "'cwd' applies only to 'command' backends and is ignored",
        ])
    }

    @Test func relativeCwdIsTakenFromTheConfigDirectory() {
        let yaml = "backends:\n  a:\n    command: x\n    cwd: tools\n  b:\n    command: x\n    cwd: ~/src\n"
        let result = ConfigLoader.parse(yaml: yaml, file: "/etc/gw/gateway.yaml", environment: ["HOME": "/home/ada"])
        #expect(result.config?.backends.map(\.cwd) == ["/etc/gw/tools", "/home/ada/src"])
        #expect(parse(yaml).config?.backends.first?.cwd == "tools")
    }

    @Test func referenceOnlyBackendKeysWarn() {
        let result = parse("""
            backends:
              a:
                command: x
                oauth: {enabled: true}
                secrets: []
                passthrough: true
                runtime_profile: docker
                identity_propagation: {strategy: passthrough}
            """)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.path) == [
            "backends.a.oauth", "backends.a.secrets", "backends.a.passthrough", "backends.a.runtime_profile",
            "backends.a.identity_propagation",
        ])
        #expect(result.warningMessages.first == "'oauth' is not supported yet and is ignored")
        #expect(result.config?.backends.count == 1)
    }

    @Test func protocolVersionPinsOrProbes() {
        let result = parse("""
            backends:
              probed: {command: x}
              auto: {command: x, protocol_version: auto}
              modern: {http_url: "http://127.0.0.1:1/mcp", protocol_version: "2026-07-28"}
              legacy: {command: x, protocol_version: "2025-03-26"}
            """)
        #expect(result.errors.isEmpty)
        #expect(result.config?.backends.map(\.protocolVersion) == [.auto, .auto, .modern, .handshake("2025-03-26")])
    }

    @Test func unknownProtocolVersionIsAnErrorWithASuggestion() {
        let result = parse("""
            backends:
              a:
                command: x
                protocol_version: "2026-07-29"
            """)
        #expect(result.errors.first?.path == "backends.a.protocol_version")
        #expect(result.errors.first?.message.contains("did you mean '2026-07-28'?") == true)
        #expect(result.errors.first?.line == 4)
    }

    @Test func a2aOnlyBackendIsLeftOutWithAWarning() {
        let result = parse("backends:\n  agent:\n    a2a_url: https://agent.example\n  git:\n    command: git-mcp\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.path) == ["backends.agent.a2a_url"])
        #expect(result.config?.backends.map(\.name) == ["git"])
    }

    @Test func mergeKeysShareSettings() {
        let result = parse("""
            backends:
              a: &common
                command: x
                timeout: 10s
              b:
                <<: *common
                command: y
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.config?.backends.last?.transport == .stdio(command: ["y"]))
        #expect(result.config?.backends.last?.timeout == .seconds(10))
    }
}
