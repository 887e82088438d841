// The `auth:` section: keys by value, from the environment and by digest, the bearer token
// forms, what turns authentication on, and that no diagnostic repeats a secret.

import Testing
@testable import GatewayConfig

@Suite struct AuthSectionTests {
    private let digest = String(repeating: "ab", count: 32)

    @Test func keysTokenAndPathsLoad() throws {
        let yaml = """
            auth:
              enabled: true
              bearer_token: env:GW_TOKEN
              public_paths: ["/health", "/ready"]
              stdio_principal: me
              api_keys:
                - {name: alice, key: "alice-key-0123456789"}
                - {name: ops, key_sha256: "\(digest.uppercased())", admin: true}
            """
        let result = parse(yaml, environment: ["GW_TOKEN": "token-from-env-0123"])
        let auth = try #require(result.config?.auth)
        #expect(auth.enabled && auth.isRequired)
        #expect(auth.bearerToken == .value("token-from-env-0123"))
        #expect(auth.publicPaths == ["/health", "/ready"])
        #expect(auth.stdioPrincipal == "me")
        #expect(auth.apiKeys == [APIKeySettings(name: "alice", key: "alice-key-0123456789"),
                                 APIKeySettings(name: "ops", keySHA256: digest, admin: true)])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func autoTokenAndKeysWithoutEnabledTurnAuthenticationOn() throws {
        let auto = try #require(parse("auth:\n  bearer_token: auto\n").config?.auth)
        #expect(auto.bearerToken == .generated && auto.isRequired)
        let keys = try #require(parse("auth:\n  api_keys: [{name: a, key_sha256: \(digest)}]\n").config?.auth)
        #expect(keys.isRequired)
        #expect(try #require(parse("server: {port: 1}\n").config?.auth).isRequired == false)
    }

    @Test func mistakesAreErrorsAtTheirLines() {
        let cases: [(String, String, String)] = [
            ("auth:\n  enabled: true\n", "auth.enabled", "no identity is configured"),
            ("auth:\n  api_keys: [{name: a}]\n", "auth.api_keys[0]", "exactly one of 'key' and 'key_sha256'"),
            ("auth:\n  api_keys: [{name: a, key: shortkey12, key_sha256: \(digest)}]\n", "auth.api_keys[0]", "exactly one"),
            ("auth:\n  api_keys: [{key: longenoughkey-0123456}]\n", "auth.api_keys[0]", "needs a 'name'"),
            ("auth:\n  api_keys: [{name: a, key_sha256: abc}]\n", "auth.api_keys[0].key_sha256", "64 hex digits"),
            ("auth:\n  api_keys: [{name: a, key: short}]\n", "auth.api_keys[0].key", "shorter than 16"),
            ("auth:\n  api_keys:\n    - {name: a, key: aaaaaaaaaaaaaaaaaaaa}\n    - {name: a, key: bbbbbbbbbbbbbbbbbbbb}\n",
             "auth.api_keys[1].name", "used twice"),
            ("auth:\n  bearer_token: env:MISSING\n", "auth.bearer_token", "'MISSING'"),
            ("auth:\n  bearer_token: t0123456789abcdef\n  public_paths: [health]\n", "auth.public_paths[0]", "starting with '/'"),
        ]
        for (yaml, path, text) in cases {
            let result = parse(yaml)
            #expect(result.config == nil, "\(yaml)")
            #expect(result.error(at: path)?.message.contains(text) == true, "\(yaml): \(result.errorMessages)")
        }
    }

    @Test func noDiagnosticRepeatsASecret() {
        let yaml = "auth:\n  bearer_token: 12345\n  api_keys: [{name: a, key: secret-value-987, admin: maybe}]\n"
        let result = parse(yaml)
        #expect(!result.diagnostics.isEmpty)
        #expect(!result.diagnostics.contains { $0.message.contains("secret-value-987") })
    }

    @Test func exposureNeedsAuthenticationOrAnExplicitOptOut() {
        #expect(parse("server: {host: 0.0.0.0}\n").errors.map(\.path) == ["server.host"])
        #expect(parse("server: {host: 0.0.0.0}\nauth: {api_keys: [{name: a, key: aaaaaaaaaaaaaaaaaaaa}]}\n").errors.isEmpty)
        #expect(parse("server: {host: 0.0.0.0}\nauth: {allow_unauthenticated: true}\n").errors.isEmpty)
    }
}
