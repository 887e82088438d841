// Which values of the gateway's own configuration the redactor looks for: the bearer token,
// API keys given as `key`, and the credentials among backends' env and header values, but not
// ordinary settings such as PATH or an Accept header.

import GatewayConfig
import GatewayGovernance
import Testing

@Suite struct RedactionConfiguredSecretsTests {
    private func config(bearer: BearerTokenSetting? = nil, keys: [APIKeySettings] = [], env: [String: String] = [:],
                        headers: [String: String] = [:]) -> GatewayConfig {
        GatewayConfig(
            backends: [BackendSettings(name: "b", transport: .stdio(command: ["x"]), env: env, headers: headers)],
            auth: AuthSettings(enabled: true, bearerToken: bearer, apiKeys: keys))
    }

    @Test func authSecrets() {
        let values = ConfiguredSecrets.values(in: config(bearer: .value("gw-bearer-0123456789"), keys: [
            APIKeySettings(name: "alice", key: "alice-key-5f0c2b9e81d44a7f"),
            APIKeySettings(name: "ops", keySHA256: String(repeating: "ab", count: 32)),
            APIKeySettings(name: "tiny", key: "k1"),
        ]))
        #expect(values == ["gw-bearer-0123456789", "alice-key-5f0c2b9e81d44a7f"])
        #expect(ConfiguredSecrets.values(in: config(bearer: .generated)).isEmpty)
    }

    @Test func backendEnvByNameOrShape() {
        let values = Set(ConfiguredSecrets.values(in: config(env: [
            "GITHUB_PERSONAL_ACCESS_TOKEN": "plain-looking-value",
            "PGPASSWORD": "hunter2hunter2",
            "OPENAI_API_KEY": "sk-proj-abc123def456",
            "DATABASE_URL": "postgres://app:s3cretpw@db.internal:5432/app",
            "OPAQUE": "Zk3mQ9xLp2Rt7VwB",
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LOG_LEVEL": "debug-verbose",
            "HOME_URL": "https://example.com/home",
            "BUILD_ID": "20261206-release-candidate",
            "KEYBOARD": "us",
        ])))
        #expect(values == ["plain-looking-value", "hunter2hunter2", "sk-proj-abc123def456",
                           "postgres://app:s3cretpw@db.internal:5432/app", "Zk3mQ9xLp2Rt7VwB"])
    }

    @Test func headerCredentialsWithAndWithoutTheirScheme() {
        let values = Set(ConfiguredSecrets.values(in: config(headers: [
            "Authorization": "Bearer upstream-token-0042",
            "X-Api-Key": "abcdef0123456789",
            "Accept": "application/json, text/event-stream",
            "User-Agent": "mcp-gateway/1.0 (linux)",
        ])))
        #expect(values == ["Bearer upstream-token-0042", "upstream-token-0042", "abcdef0123456789"])
    }

    @Test func scannerFindsThem() throws {
        let scanner = SecretScanner(gatewaySecrets: ConfiguredSecrets.values(in: config(
            keys: [APIKeySettings(name: "alice", key: "alice-key-5f0c2b9e81d44a7f")],
            headers: ["Authorization": "Bearer upstream-token-0042"])))
        #expect(try redactedValue("echo: alice-key-5f0c2b9e81d44a7f", scanner) == "echo: [redacted:gateway_secret]")
        #expect(try redactedValue("sent upstream-token-0042", scanner) == "sent [redacted:gateway_secret]")
    }
}
