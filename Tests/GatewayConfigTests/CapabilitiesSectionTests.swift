// The `capabilities:` and `security:` sections: every key, defaults, directory resolution against the
// config file, the server name rules, and `ssrf_allow` addresses and ranges with line numbers.

import Testing
@testable import GatewayConfig

@Suite struct CapabilitiesSectionTests {
    @Test func defaults() throws {
        let config = try #require(parse("").config)
        #expect(config.capabilities == CapabilitiesSettings(enabled: true, name: "capabilities", directories: [], starterPack: true,
                                                            starterPackAllowEnv: []))
        #expect(config.security.ssrfAllow.isEmpty)
    }

    @Test func everyKey() throws {
        let result = ConfigLoader.parse(yaml: """
            capabilities:
              enabled: false
              name: apis
              directories: [caps, /abs/dir, "~/mine", "${CAPS_DIR}"]
              starter_pack: no
            security:
              ssrf_allow: [127.0.0.1, 10.0.0.0/8, "fd00::/8", "::1"]
            """, file: "/etc/gw/gateway.yaml", environment: ["HOME": "/home/u", "CAPS_DIR": "extra"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.capabilities == CapabilitiesSettings(
            enabled: false, name: "apis",
            directories: ["/etc/gw/caps", "/abs/dir", "/home/u/mine", "/etc/gw/extra"].map { CapabilityDirectory(path: $0) },
            starterPack: false))
        #expect(config.security.ssrfAllow.map(\.description) == ["127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"])
        #expect(config.security.ssrfAllow[1].contains([10, 1, 2, 3]))
    }

    @Test func mistakesAreErrorsWithLinesAndSuggestions() {
        let result = parse("""
            capabilities:
              directores: [x]
              name: "has space"
              directories: [""]
            security:
              ssrf_allow: [localhost, 10.0.0.0/40, 127.0.0.1]
              ssrf_alow: []
            """)
        #expect(result.config == nil)
        #expect(result.errorMessages == [
            "unknown key 'directores' in 'capabilities'; did you mean 'directories'?",
            "invalid name 'has space' for 'capabilities.name': use only letters, digits, '_' and '-' (it is the server name of the capability tools)",
            "expected a directory path for 'capabilities.directories[0]', found an empty string",
            "expected an IP address or CIDR range like '127.0.0.1', '10.0.0.0/8' or 'fd00::/8' for 'security.ssrf_allow[0]', found 'localhost' (host names are not accepted: the check is on resolved addresses)",
            "expected an IP address or CIDR range like '127.0.0.1', '10.0.0.0/8' or 'fd00::/8' for 'security.ssrf_allow[1]', found '10.0.0.0/40' (host names are not accepted: the check is on resolved addresses)",
            "unknown key 'ssrf_alow' in 'security'; did you mean 'ssrf_allow'?",
        ])
        #expect(result.errors.map(\.line) == [2, 3, 4, 6, 6, 7])
    }

    /// Finding 10: the secrets a directory's files may read are listed per directory, and checked here.
    @Test func directoryAllowListsAndStarterPackAllowList() throws {
        let result = ConfigLoader.parse(yaml: """
            capabilities:
              directories:
                - path: private
                  allow_env: [GITHUB_TOKEN, API_KEY_2]
                  allow_files: [secrets/token.txt, "~/tokens/", /abs/key]
                - shared
              starter_pack_allow_env: [GITHUB_TOKEN]
            """, file: "/etc/gw/gateway.yaml", environment: ["HOME": "/home/u"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.capabilities.directories == [
            CapabilityDirectory(path: "/etc/gw/private", allowEnv: ["GITHUB_TOKEN", "API_KEY_2"],
                                allowFiles: ["/etc/gw/secrets/token.txt", "/home/u/tokens/", "/abs/key"]),
            CapabilityDirectory(path: "/etc/gw/shared"),
        ])
        #expect(config.capabilities.starterPackAllowEnv == ["GITHUB_TOKEN"])
    }

    @Test func directoryAllowListMistakesAreErrorsWithLines() {
        let result = parse("""
            capabilities:
              directories:
                - allow_env: [TOKEN]
                - path: x
                  allow_envs: [TOKEN]
                - path: y
                  allow_env: ["BAD-NAME", "1ST"]
                  allow_files: [""]
              starter_pack_allow_env: "GITHUB_TOKEN"
            """)
        #expect(result.config == nil)
        #expect(result.errorMessages == [
            "'capabilities.directories[0]' needs 'path' (the directory of capability files)",
            "unknown key 'allow_envs' in 'capabilities.directories[1]'; did you mean 'allow_env'?",
            "expected an environment variable name like 'GITHUB_TOKEN' for 'capabilities.directories[2].allow_env[0]', found 'BAD-NAME'",
            "expected an environment variable name like 'GITHUB_TOKEN' for 'capabilities.directories[2].allow_env[1]', found '1ST'",
            "expected a file path for 'capabilities.directories[2].allow_files[0]', found an empty string",
            "expected a list of strings for 'capabilities.starter_pack_allow_env', found a string",
        ])
        #expect(result.errors.map(\.line) == [3, 5, 7, 7, 8, 9])
    }

    @Test func serverNameMustNotBeABackendName() {
        let result = parse("""
            backends:
              capabilities:
                command: x
            """)
        #expect(result.errorMessages == ["the capabilities server name 'capabilities' is also a backend name; set 'capabilities.name' to another name"])
        let renamed = parse("backends:\n  capabilities:\n    command: x\ncapabilities:\n  name: apis\n")
        #expect(renamed.errors.isEmpty)
        let disabled = parse("backends:\n  capabilities:\n    command: x\ncapabilities:\n  enabled: false\n")
        #expect(disabled.errors.isEmpty)
        let explicit = parse("backends:\n  apis:\n    command: x\ncapabilities:\n  name: apis\n")
        #expect(explicit.errors.first?.line == 5)
    }

    /// ssrf_protection changes nothing (the checks are always on): a warning. message_signing
    /// would protect: not implemented, it is refused rather than ignored; firewall (credential
    /// redaction) and tool_policy load.
    @Test func otherReferenceSecurityKeysWarnOrAreRefused() {
        let result = parse("""
            security:
              ssrf_protection: false
              firewall: {enabled: true}
              message_signing: {enabled: true}
              tool_policy: {enabled: true}
            """)
        #expect(result.errors.map(\.path) == ["security.message_signing"])
        #expect(result.errors.map(\.line) == [4])
        #expect(result.warnings.map(\.path) == ["security.ssrf_protection"])
        #expect(result.warningMessages[0] == "'ssrf_protection' is ignored: outbound capability requests are always checked; allow addresses with 'security.ssrf_allow'")
    }

    @Test func ipNetworksParseAndMatch() throws {
        let v4 = try #require(IPNetwork("192.168.1.77/24"))
        #expect(v4.description == "192.168.1.0/24")
        #expect(v4.contains([192, 168, 1, 200]) && !v4.contains([192, 168, 2, 1]))
        let v6 = try #require(IPNetwork("[fe80::1]"))
        #expect(v6.prefixLength == 128)
        #expect(IPNetwork("::ffff:10.0.0.1")?.description == "::ffff:a00:1")
        #expect(IPNetwork("1.2.3") == nil && IPNetwork("1.2.3.256") == nil && IPNetwork("1::2::3") == nil && IPNetwork("fe80::1%eth0") == nil)
    }
}
