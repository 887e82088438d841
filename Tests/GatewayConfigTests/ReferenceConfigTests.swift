// A gateway.yaml written for the reference product: its security sections we do not implement are
// refused with their lines (fail closed); with them switched off it loads, with a warning for each
// other section we do not implement.

import Testing
@testable import GatewayConfig

@Suite struct ReferenceConfigTests {
    private let referenceFile = """
        env_files:
          - ~/.mcp-gateway.env

        server:
          host: 127.0.0.1
          port: 39400
          request_timeout: 30s
          shutdown_timeout: 30s
          max_body_size: 10MiB

        auth:
          enabled: true
          bearer_token: env:GATEWAY_TOKEN
          public_paths: ["/health"]
          api_keys:
            - key: env:TEAM_KEY
              name: team
              rate_limit: 60
              backends: ["*"]

        meta_mcp:
          enabled: true
          cache_tools: true
          cache_ttl: 5m
          warm_start: [tavily]
          surfaced_tools:
            - server: context7
              tool: resolve-library-id

        streaming:
          enabled: true
          keep_alive_interval: 15s

        failsafe:
          circuit_breaker:
            enabled: true
            failure_threshold: 5
            success_threshold: 3
            reset_timeout: 30s
          retry:
            enabled: true
            max_attempts: 3
            initial_backoff: 100ms
          rate_limit:
            requests_per_second: 100
            burst_size: 50
          health_check:
            interval: 10s

        backends:
          tavily:
            command: "npx -y @anthropic/mcp-server-tavily"
            description: "Web search"
            env:
              TAVILY_API_KEY: "${TAVILY_API_KEY}"

          context7:
            http_url: "http://localhost:8080/mcp"
            description: "Documentation lookup"
            streamable_http: true
            headers:
              Authorization: "Bearer ${CONTEXT7_TOKEN:-anonymous}"

          pieces:
            http_url: "http://localhost:39300/model_context_protocol/2024-11-05/sse"
            streamable_http: false
            timeout: 60s

          linear:
            http_url: https://mcp.linear.app/mcp
            oauth:
              enabled: true
              scopes: [read]

        capabilities:
          enabled: true
          directories: [capabilities]

        cache:
          enabled: true
          default_ttl: 60s

        security:
          firewall:
            enabled: true
            credential_redaction: true
            prompt_injection_detection: true
        """

    /// `auth` with its per-key scopes and limits is implemented, and so is the firewall's credential
    /// redaction; its prompt-injection detection is not: it is refused with its line.
    @Test func securitySectionsWeDoNotImplementAreRefused() {
        let environment = ["TAVILY_API_KEY": "tvly-123", "GATEWAY_TOKEN": "gw-token-0123456789abcdef", "TEAM_KEY": "team-key-0123456789abcdef"]
        let result = parse(referenceFile, environment: environment)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == ["security.firewall.prompt_injection_detection"])
        #expect(result.errors.map(\.line) == [87])
        #expect(result.errorMessages[0].contains("refused rather than ignored"))
        // Unset variables are named, and the values of set ones never appear.
        let unset = parse(referenceFile, environment: ["TAVILY_API_KEY": "tvly-123", "TEAM_KEY": "team-key-0123456789abcdef"])
        #expect(unset.errorMessages.contains { $0.contains("'GATEWAY_TOKEN'") && $0.contains("auth.bearer_token") })
        #expect(!unset.diagnostics.contains { $0.message.contains("team-key-0123456789abcdef") })
    }

    /// The same file with those sections switched off (`enabled: false`) asks for nothing we lack.
    private var referenceFileSecurityOff: String {
        referenceFile.replacingOccurrences(of: "auth:\n  enabled: true", with: "auth:\n  enabled: false")
            .replacingOccurrences(of: "firewall:\n    enabled: true", with: "firewall:\n    enabled: false")
    }

    @Test func loadsWithWarningsOnly() throws {
        let result = parse(referenceFileSecurityOff, environment: ["TAVILY_API_KEY": "tvly-123"])
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.map(\.path) == [
            "env_files", "meta_mcp.cache_tools", "streaming", "backends.linear.oauth", "cache",
        ])
        let config = try #require(result.config)
        // Retries and health checks as the reference configures them; pieces' own 60 s timeout
        // overrides the default server.request_timeout (30 s).
        #expect(config.failsafe.retry == RetrySettings(maxAttempts: 3, initialBackoff: .milliseconds(100)))
        #expect(config.failsafe.healthCheck != nil)
        #expect(config.backends.first { $0.name == "pieces" }?.timeout == .seconds(60))
        // The reference's circuit breaker and per-backend rate limit are enforced.
        #expect(config.failsafe.circuitBreaker == CircuitBreakerSettings(failureThreshold: 5, successThreshold: 3, resetTimeout: .seconds(30)))
        #expect(config.failsafe.rateLimit == BackendRateLimitSettings(requestsPerSecond: 100, burstSize: 50))
        #expect(config.server == ServerSettings())
        #expect(config.metaMCP.warmStart == ["tavily"])
        #expect(config.metaMCP.surfacedTools == [SurfacedTool(server: "context7", tool: "resolve-library-id")])
        #expect(config.backends.map(\.name) == ["tavily", "context7", "pieces", "linear"])
        #expect(config.backends[0].transport == .stdio(command: ["npx", "-y", "@anthropic/mcp-server-tavily"]))
        #expect(config.backends[0].env == ["TAVILY_API_KEY": "tvly-123"])
        #expect(config.backends[1].transport == .http(url: "http://localhost:8080/mcp", mode: .streamableHTTP))
        #expect(config.backends[1].headers == ["Authorization": "Bearer anonymous"])
        #expect(config.backends[2].transport == .http(
            url: "http://localhost:39300/model_context_protocol/2024-11-05/sse", mode: .sse
        ))
        #expect(config.backends[2].timeout == .seconds(60))
        #expect(config.backends[3].transport == .http(url: "https://mcp.linear.app/mcp", mode: .auto))
        #expect(config.capabilities == CapabilitiesSettings(directories: [CapabilityDirectory(path: "capabilities")]))
    }

    @Test func missingSecretIsTheOnlyError() {
        let result = parse(referenceFileSecurityOff)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == ["backends.tavily.env.TAVILY_API_KEY"])
        #expect(result.errors.first?.line == 55)
    }
}
