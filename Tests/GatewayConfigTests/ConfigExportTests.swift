// `config export`: the YAML written with secrets shown loads back (ConfigLoader.parse, same path)
// into an equal GatewayConfig, for a config that sets every section and key the decoder knows, a
// minimal one and an empty file; the JSON is the same tree; masked output holds no secret and
// still parses; strings YAML could misread keep their text and type.

import Foundation
import MCPProtocol
import Testing
@testable import GatewayConfig

@Suite struct ConfigExportTests {
    /// Secrets of the rich config, from its environment: none may appear in masked output.
    static let environment = [
        "PORT": "8443",
        "FILES_TOKEN": "tok-files-$ecret-111",
        "REMOTE_TOKEN": "remote-secret-222",
        "WS_KEY": "ws-secret-333",
        "GATEWAY_TOKEN": "gateway-bearer-444",
        "ALICE_KEY": "alice-key-0123456789abcdef-555",
        "OTLP_KEY": "otlp-secret-666",
        "HOOK_SECRET": "hook-secret-0123456789-777",
    ]
    static let secretValues = ["tok-files-$ecret-111", "Bearer remote-secret-222", "remote-secret-222", "ws-secret-333",
                               "gateway-bearer-444", "alice-key-0123456789abcdef-555", "otlp-secret-666", "pa$word",
                               "hook-secret-0123456789-777"]

    /// Every section and key the decoder reads (ConfigSchema), most with a value other than the default.
    static let richYAML = #"""
        server:
          host: ${HOST:-0.0.0.0}
          port: ${PORT}
          request_timeout: 45s
          shutdown_timeout: 0
          max_body_size: 5MB
          allowed_origins: ["https://app.example.com", "*"]
          limits:
            max_sessions: 50
            session_idle_timeout: 1h30m
            max_batch_size: 20
            journal_events: 64
            journal_bytes: 64KiB
            outbound_buffer: 2000000
            header_timeout: 1500ms
            idle_timeout: 2m
            max_name_length: 100
        meta_mcp:
          enabled: false
          cache_ttl: 0
          discovery_wait: 250ms
          surfaced_tools:
            - {server: files, tool: read_file}
            - {server: remote, tool: "true"}
          warm_start: [files, remote]
          search: lexical
        backends:
          files:
            command: npx -y "@modelcontextprotocol/server-filesystem" /tmp
            description: |
              Files on this machine.
              Second line: with "quotes", a #hash and  two spaces.
            env:
              API_TOKEN: ${FILES_TOKEN}
              LITERAL: "pa$$word"
              EMPTY: ""
            cwd: work/dir
            timeout: 90s
            tool_timeouts: {"search_*": 5m, read_file: 1500ms}
            idempotent_tools: [read_file, "list_*"]
            trust_annotations: true
            stop_when_idle_for: 10m
            roots: ["file:///srv/data", {uri: "file:///srv/logs", name: Logs}]
            tools: {allow: ["read_*", "search_*", list_directory], deny: [read_secret]}
            rename: {read_file: fs.read, list_directory: ls}
            descriptions:
              read_file: "Reads a file."
              "search_*": {append: "\nSearch is slow on big trees."}
              list_directory: {replace: "true"}
            arguments:
              read_file:
                defaults: {encoding: utf-8, limit: 100, ratio: 0.5, whole: 1.0, follow: true, missing: null, quoted_number: "10", quoted_bool: "false", nested: {a: [1, "2", {b: null}]}, empty_list: [], empty_map: {}}
                fixed: {root: "/srv", mode: "$${HOME}", null_word: "null", tilde: "~", colon: "a: b", hash: "#x", multi: "line1\nline2", unicode: "ünïcödé 🚀", negative: -3, big: 1e+20}
                hide: [debug]
              "*": {hide: [trace_id]}
            max_result_bytes: 64KB
            rate_limit: {requests_per_second: 2.5, burst_size: 7}
            max_concurrent: 3
            protocol_version: "2025-06-18"
          remote:
            http_url: https://mcp.example.com/mcp
            transport: streamable_http
            headers:
              Authorization: Bearer ${REMOTE_TOKEN}
              X-Trace: "on"
            timeout: 10s
            rate_limit: {enabled: false}
            protocol_version: "2026-07-28"
          legacy:
            http_url: http://127.0.0.1:8001/sse
            streamable_http: false
            enabled: false
          auto:
            http_url: http://127.0.0.1:8002/mcp
          socket:
            http_url: wss://ws.example.com/mcp
            headers: {X-Key: "${WS_KEY}"}
            max_concurrent: 1
        capabilities:
          enabled: true
          name: apis
          directories:
            - caps
            - {path: /opt/caps, allow_env: [GITHUB_TOKEN], allow_files: [secrets/, /etc/token]}
          starter_pack: false
          starter_pack_allow_env: [GITHUB_TOKEN]
        security:
          ssrf_allow: [127.0.0.1, 10.0.0.0/8, "fd00::/8"]
          tool_policy:
            default_action: deny
            allow: ["files:*", "remote:search"]
            deny: ["*:delete_*"]
            use_default_deny: false
            log_denied: false
          firewall: {enabled: true, credential_redaction: false}
          pinning: enforce
        auth:
          bearer_token: ${GATEWAY_TOKEN}
          public_paths: ["/health", "/metrics"]
          api_keys:
            - name: alice
              key: env:ALICE_KEY
              backends: [files]
              allowed_tools: ["files:read_*"]
              denied_tools: ["files:write_*"]
              allowed_resources: ["files:file:///srv/*"]
              denied_resources: ["*:file:///etc/*"]
              allowed_prompts: ["remote:summarize"]
              denied_prompts: ["secret_*"]
              routing_profile: readonly
              rate_limit: 60
              tool_rate_limits:
                - {tool: "files:search_*", rate: 30/min, burst: 2}
                - {tool: read_file, rate: 2.5}
              max_concurrent: 4
            - name: ci
              key_sha256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08
              admin: true
          oauth:
            issuer: https://auth.example.com
            audience: https://gateway.example.com/mcp
            jwks_url: https://auth.example.com/jwks.json
            required_scopes: [mcp:read]
            principal_claim: email
            groups_claim: roles
            admin_groups: [ops]
            leeway: 45s
            cache_size: 500
            refetch_interval: 2m
          stdio_principal: me
        mtls:
          server_cert: server.pem
          server_key: server.key
          ca_cert: ca.pem
          require_client_cert: false
          client_principal: san_dns
          admin_principals: [admin.example.com]
          reload_interval: 750ms
        policies:
          principals:
            bob: {allowed_tools: ["remote:*"], rate_limit: 0}
          groups:
            ops: {backends: ["*"], max_concurrent: 10}
          scopes:
            "mcp:write": {denied_tools: ["*:delete_*"]}
        routing_profiles:
          readonly:
            description: Read-only tools
            allow_backends: [files, remote]
            deny_backends: [legacy]
            allow_tools: ["*:read_*"]
            deny_tools: ["*:write_*"]
            allow_resources: ["files:file:///srv/*"]
            deny_resources: ["*:file:///etc/*"]
            allow_prompts: ["remote:*"]
            deny_prompts: ["*:admin_*"]
          everything: {}
        default_routing_profile: everything
        audit:
          path: logs/audit.jsonl
          max_size: 1MiB
          keep: 0
          include_arguments: ["files:*", " remote:search "]
        failsafe:
          rate_limit: {requests_per_second: 20, burst_size: 40}
          concurrency: {max_concurrent: 8, queue: 0, queue_timeout: 250ms}
          circuit_breaker: {failure_threshold: 4, success_threshold: 2, reset_timeout: 15s, error_rate: 0.5, window: 30s, minimum_calls: 10}
          retry: {max_attempts: 4, initial_backoff: 200ms, max_backoff: 5s, multiplier: 1.5, budget: 0.25}
          health_check: {interval: 20s, timeout: 2s, failure_threshold: 5}
        cost_governance:
          enabled: true
          currency: EUR
          default_cost: 0.001
          tool_costs: {"remote:*": 0.02, "files:search_*": 0.5}
          budgets:
            daily: 10
            monthly: 200.5
            per_tool: {"remote:*": {daily: 1}}
            per_key: {alice: {monthly: 50}, ci: {daily: 5, monthly: 100}}
          alerts:
            - {at_percent: 90, action: block}
            - {at_percent: 25, action: log}
        telemetry:
          metrics: {enabled: true, readers: [scraper]}
          profiles: false
          otlp:
            endpoint: http://127.0.0.1:4317
            protocol: grpc
            headers: {x-api-key: "${OTLP_KEY}"}
            sample_ratio: 0.25
            service_name: gateway-test
          dashboard: false
        webhooks:
          base_path: /hooks
          require_signature: false
          rate_limit: 30
          max_body_size: 1MiB
          keep: 7
          replay_window: 90s
          endpoints:
            github: {secret: "${HOOK_SECRET}", signature_header: X-Hub-Signature-256, event_header: X-GitHub-Event, description: pushes}
            open: {description: "unsigned, on purpose"}
            stripe: {secret: "${HOOK_SECRET}", timestamp_header: X-Timestamp}
        """#

    /// The rich config, loaded from a directory holding the PEM files `mtls` names.
    private func loadRich(_ files: TLSSectionTests.PEMFiles) throws -> GatewayConfig {
        let result = ConfigLoader.parse(yaml: Self.richYAML, file: files.configFile, environment: Self.environment)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        return try #require(result.config)
    }

    /// Loads `text` as the file `file` with no environment: an export needs none.
    private func reload(_ text: String, file: String) throws -> GatewayConfig {
        let result = ConfigLoader.parse(yaml: text, file: file, environment: [:])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))\n\(text)")
        return try #require(result.config)
    }

    /// Section by section first, so a difference names its section.
    private func expectEqual(_ reloaded: GatewayConfig, _ original: GatewayConfig) {
        #expect(reloaded.server == original.server)
        #expect(reloaded.metaMCP == original.metaMCP)
        #expect(reloaded.backends.map(\.name) == original.backends.map(\.name))
        for (again, first) in zip(reloaded.backends, original.backends) { #expect(again == first, "backend \(first.name)") }
        #expect(reloaded.capabilities == original.capabilities)
        #expect(reloaded.security == original.security)
        #expect(reloaded.auth == original.auth)
        #expect(reloaded.tls == original.tls)
        #expect(reloaded.policies == original.policies)
        #expect(reloaded.routingProfiles == original.routingProfiles)
        #expect(reloaded.defaultRoutingProfile == original.defaultRoutingProfile)
        #expect(reloaded.audit == original.audit)
        #expect(reloaded.failsafe == original.failsafe)
        #expect(reloaded.costGovernance == original.costGovernance)
        #expect(reloaded.telemetry == original.telemetry)
        #expect(reloaded == original)
    }

    @Test func theRichConfigRoundTripsThroughYAML() throws {
        let files = try TLSSectionTests.PEMFiles()
        let original = try loadRich(files)
        let yaml = ConfigExport.render(original, format: .yaml, withSecrets: true)
        expectEqual(try reload(yaml, file: files.configFile), original)
        // What the decoder normalised is exported normalised: the digest lowercased, paths resolved.
        #expect(yaml.contains("key_sha256: \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\""))
        #expect(yaml.contains(files.directory + "/work/dir"))
        #expect(yaml.contains("    command:\n      - npx\n      - \"-y\"\n"), "'-y' is quoted, not a list item")
        // An export of the export is the same text: nothing drifts on a second pass.
        #expect(ConfigExport.render(try reload(yaml, file: files.configFile), format: .yaml, withSecrets: true) == yaml)
    }

    @Test func theJSONIsTheSameTreeAndLoadsToo() throws {
        let files = try TLSSectionTests.PEMFiles()
        let original = try loadRich(files)
        let json = ConfigExport.render(original, format: .json, withSecrets: true)
        let parsed = try JSONParser.parse(Array(json.utf8))
        let tree = ConfigExport.tree(original, withSecrets: true)
        #expect(parsed.objectValue?.keys == tree.keys)
        #expect(parsed["backends"]?.objectValue?.keys == ["files", "remote", "legacy", "auto", "socket"])
        #expect(parsed["server"]?.objectValue?.keys == tree["server"]?.objectValue?.keys)
        #expect(json.hasPrefix("{\n  \"server\": {\n"), "no comment before the JSON")
        // JSON is YAML's flow style: the same tree loads as the same configuration.
        expectEqual(try reload(json, file: files.configFile), original)
    }

    @Test func everyKeyTheDecoderKnowsIsWritten() throws {
        let files = try TLSSectionTests.PEMFiles()
        let tree = ConfigExport.tree(try loadRich(files), withSecrets: true)
        func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys ?? []) }
        func expectKeys(_ value: JSONValue?, _ section: ConfigSection, except: Set<String> = [], _ name: String) {
            #expect(keys(value) == Set(section.supportedKeys).subtracting(except), "\(name)")
        }
        expectKeys(.object(tree), ConfigSchema.topLevel, "top level")
        expectKeys(tree["server"], ConfigSchema.server, "server")
        expectKeys(tree["server"]?["limits"], ConfigSchema.serverLimits, "server.limits")
        expectKeys(tree["meta_mcp"], ConfigSchema.metaMCP, "meta_mcp")
        expectKeys(tree["meta_mcp"]?["surfaced_tools"]?.arrayValue?.first, ConfigSchema.surfacedTool, "surfaced_tools")
        let backends = tree["backends"]?.objectValue?.members.map(\.value) ?? []
        // `streamable_http` is the reference's alias of `transport`, which is what is written.
        #expect(backends.reduce(into: Set<String>()) { $0.formUnion(keys($1)) }
            == Set(ConfigSchema.backend.supportedKeys).subtracting(["streamable_http"]))
        let files0 = tree["backends"]?["files"]
        expectKeys(files0?["tools"], ConfigSchema.backendToolFilter, "tools")
        expectKeys(files0?["arguments"]?["read_file"], ConfigSchema.argumentRule, "arguments")
        expectKeys(files0?["rate_limit"], ConfigSchema.backendRateLimit, "backends.files.rate_limit")
        expectKeys(tree["capabilities"], ConfigSchema.capabilities, "capabilities")
        expectKeys(tree["capabilities"]?["directories"]?.arrayValue?.last, ConfigSchema.capabilityDirectory, "directory")
        expectKeys(tree["security"], ConfigSchema.security, "security")
        expectKeys(tree["security"]?["tool_policy"], ConfigSchema.toolPolicy, "tool_policy")
        expectKeys(tree["security"]?["firewall"], ConfigSchema.firewall, "firewall")
        expectKeys(tree["auth"], ConfigSchema.auth, "auth")
        expectKeys(tree["auth"]?["oauth"], ConfigSchema.oauth, "oauth")
        let apiKeys = tree["auth"]?["api_keys"]?.arrayValue ?? []
        #expect(apiKeys.reduce(into: Set<String>()) { $0.formUnion(keys($1)) } == Set(ConfigSchema.apiKey.supportedKeys))
        expectKeys(apiKeys.first?["tool_rate_limits"]?.arrayValue?.first, ConfigSchema.toolRateLimit, "tool_rate_limits")
        expectKeys(tree["mtls"], ConfigSchema.mtls, "mtls")
        expectKeys(tree["policies"], ConfigSchema.policies, "policies")
        expectKeys(tree["policies"]?["principals"]?["bob"], ConfigSchema.principalRules, "policies.principals.bob")
        expectKeys(tree["routing_profiles"]?["readonly"], ConfigSchema.routingProfile, "routing profile")
        expectKeys(tree["audit"], ConfigSchema.audit, "audit")
        expectKeys(tree["failsafe"], ConfigSchema.failsafe, "failsafe")
        expectKeys(tree["failsafe"]?["rate_limit"], ConfigSchema.failsafeRateLimit, "failsafe.rate_limit")
        expectKeys(tree["failsafe"]?["concurrency"], ConfigSchema.concurrency, "concurrency")
        expectKeys(tree["failsafe"]?["circuit_breaker"], ConfigSchema.circuitBreaker, "circuit_breaker")
        expectKeys(tree["failsafe"]?["retry"], ConfigSchema.retry, "retry")
        expectKeys(tree["failsafe"]?["health_check"], ConfigSchema.healthCheck, "health_check")
        expectKeys(tree["cost_governance"], ConfigSchema.costGovernance, "cost_governance")
        expectKeys(tree["cost_governance"]?["budgets"], ConfigSchema.budgets, "budgets")
        expectKeys(tree["cost_governance"]?["budgets"]?["per_key"]?["ci"], ConfigSchema.budget, "budget")
        expectKeys(tree["cost_governance"]?["alerts"]?.arrayValue?.first, ConfigSchema.costAlert, "alert")
        expectKeys(tree["telemetry"], ConfigSchema.telemetry, "telemetry")
        expectKeys(tree["telemetry"]?["metrics"], ConfigSchema.telemetryMetrics, "metrics")
        expectKeys(tree["telemetry"]?["profiles"], ConfigSchema.telemetryProfiles, "profiles")
        expectKeys(tree["telemetry"]?["otlp"], ConfigSchema.telemetryOTLP, "otlp")
    }

    @Test func minimalAndEmptyConfigsRoundTrip() throws {
        for yaml in ["backends:\n  git: {command: git-mcp}\n", "", "# only a comment\n"] {
            let original = try #require(parse(yaml).config)
            expectEqual(try reload(ConfigExport.render(original, format: .yaml, withSecrets: true), file: "gateway.yaml"), original)
        }
        // The built-in default has no source; loaded from a file it gets that file as its source.
        let exported = ConfigExport.render(.builtinDefault, format: .yaml, withSecrets: false)
        #expect(exported.contains("# Source: none: the built-in default"))
        var expected = GatewayConfig.builtinDefault
        expected.sourcePath = "gateway.yaml"
        expectEqual(try reload(exported, file: "gateway.yaml"), expected)
    }

    @Test func maskedOutputHoldsNoSecretAndStillParses() throws {
        let files = try TLSSectionTests.PEMFiles()
        let original = try loadRich(files)
        let yaml = ConfigExport.render(original, format: .yaml, withSecrets: false)
        let json = ConfigExport.render(original, format: .json, withSecrets: false)
        for secret in Self.secretValues {
            #expect(!yaml.contains(secret) && !json.contains(secret), "\(secret) shown")
            #expect(!yaml.contains(secret.replacingOccurrences(of: "$", with: "$$")))
        }
        #expect(yaml.contains("API_TOKEN: \"<masked>\"") && yaml.contains("bearer_token: \"<masked>\""))
        #expect(yaml.contains("secret: \"<masked>\""))
        #expect(yaml.contains("x-api-key: \"<masked>\"") && yaml.contains("X-Key: \"<masked>\""))
        #expect(yaml.hasPrefix("# Effective configuration") && yaml.contains(files.configFile))
        #expect(yaml.contains("--with-secrets shows them"))
        // It parses: what fails to load is only the masked API key, too short to be a key.
        let result = ConfigLoader.parse(yaml: yaml, file: files.configFile, environment: [:])
        // (and the masked webhook secrets, too short to be secrets).
        #expect(!result.errors.isEmpty && result.errors.allSatisfy {
            ["auth.api_keys[0].key", "webhooks.endpoints.github.secret", "webhooks.endpoints.stripe.secret"].contains($0.path)
        },
                "\(result.errors.map(\.description))")
        #expect(try JSONParser.parse(Array(json.utf8)).objectValue != nil)
    }

    /// Strings a YAML reader could take for something else, in every place strings go: a value,
    /// a mapping key (tool globs), a list item (argv) and a typed JSON argument value.
    static let trickyStrings = [
        "true", "False", "yes", "No", "on", "OFF", "y", "n", "10", "-3", "+5", "1.5", "1e5", ".inf", "-.5", "0x1F", "0o17",
        "1_000", "12:30", "2025-06-18", "null", "Null", "~", "", " ", "a: b", "a:", "#x", "a #b", "- item", "-", "?", "? q",
        "[x]", "{y: 1}", "*star", "&anchor", "!tag", "%pct", "@at", "`tick`", "'single'", "\"double\"", "back\\slash",
        "<<", "=", "|", ">", " lead", "trail ", "multi\nline", "ends with a break\n", "two breaks\n\n", "\nstarts with one",
        "  indented\nblock", "tab\there", "carriage\rreturn", "nul\u{0}byte", "bell\u{7}", "del\u{7F}", "nel\u{85}",
        "line\u{2028}sep", "bom\u{FEFF}inside", "ünïcödé", "日本語", "emoji 🚀", "$HOME", "${HOME}", "$$", "a$", "30s", "10MiB",
        "inf", "nan", "NaN", "Infinity", "0", "007", "1e+20", "line one\n  indented two\n\nfour",
    ]

    @Test func trickyStringsKeepTheirTextAndType() throws {
        let strings = Self.trickyStrings
        var defaults = JSONObject()
        for (index, string) in strings.enumerated() { defaults["s\(index)"] = .string(string) }
        let typed: [(String, JSONValue)] = [("int", 10), ("negative", -3), ("double", 1.5), ("whole", 2.0), ("tiny", 1e-7),
                                            ("huge", 1e300), ("yes", true), ("no", false), ("nothing", nil),
                                            ("list", [1, "1", true, "true", nil, "null", [], [:]]),
                                            ("object", ["k": "v", "true": 1, "": "empty key"])]
        var fixed = JSONObject()
        for (key, value) in typed { fixed[key] = value }
        // Keys that are globs, taken as they are written (not expanded).
        let keyed = strings.filter { !$0.isEmpty }
        let backend = BackendSettings(
            name: "tricky", description: strings.joined(separator: "|"), transport: .stdio(command: ["prog"] + strings),
            env: Dictionary(uniqueKeysWithValues: strings.enumerated().map { ("V\($0.offset)", $0.element) }),
            toolTimeouts: keyed.map { ToolTimeout(tool: $0, timeout: .milliseconds(1500)) },
            idempotentTools: strings,
            shaping: ToolShapingSettings(
                descriptions: keyed.map { DescriptionRule(tool: $0, change: .append($0)) },
                arguments: [ArgumentRule(tool: "t", defaults: defaults, fixed: fixed, hide: strings)]))
        var original = GatewayConfig(backends: [backend], sourcePath: "gateway.yaml")
        original.server.allowedOrigins = strings
        for format in ConfigExport.Format.allCases {
            let text = ConfigExport.render(original, format: format, withSecrets: true)
            let result = ConfigLoader.parse(yaml: text, file: "gateway.yaml", environment: [:])
            let reloaded = try #require(result.config, "\(format): \(result.diagnostics.map(\.description))")
            expectEqual(reloaded, original)
        }
        let yaml = ConfigExport.render(original, format: .yaml, withSecrets: true)
        #expect(yaml.contains("      - \"10\"\n") && yaml.contains("      - \"true\"\n") && yaml.contains("      - \"~\"\n"))
        #expect(yaml.contains("      - \"a: b\"\n") && yaml.contains("      - \"#x\"\n") && yaml.contains("      - \"null\"\n"))
        #expect(yaml.contains("    description: \"true|False|"), "a line break inside: double-quoted")
        #expect(yaml.contains(" int: 10\n") && yaml.contains(" whole: 2.0\n") && yaml.contains(" nothing: null\n"))
    }

    @Test func stringsArePlainOnlyWhenNothingElseCanBeRead() {
        for plain in ["git-mcp", "read_file", "https://mcp.example.com/mcp", "/usr/bin/env", "30s", "10MiB", "fd00::/8",
                      "Files on this machine", "$HOME", "a.b@c+d=e"] {
            #expect(YAMLScalar.string(plain) == .inline(plain), "\(plain)")
        }
        for quoted in Self.trickyStrings where !quoted.contains("\n") && !["30s", "10MiB", "$HOME", "$$", "a$"].contains(quoted) {
            guard case .inline(let text) = YAMLScalar.string(quoted) else {
                Issue.record("\(quoted) is not inline")
                continue
            }
            #expect(text.hasPrefix("\"") && text.hasSuffix("\""), "\(quoted) → \(text)")
        }
        #expect(YAMLScalar.string("one\ntwo\n") == .literal(indicator: "|", lines: ["one", "two"]))
        #expect(YAMLScalar.string("one\n\n  two") == .literal(indicator: "|-", lines: ["one", "", "  two"]))
        #expect(YAMLScalar.string("one\n\n") == .inline("\"one\\n\\n\""))
        #expect(YAMLScalar.key("server:tool") == "\"server:tool\"" && YAMLScalar.key("X-Api-Key") == "X-Api-Key")
    }

    @Test func durationsAndSizesAreWrittenInTheirLargestExactUnit() {
        let durations: [(Duration, String)] = [(.zero, "0s"), (.milliseconds(1500), "1500ms"), (.seconds(30), "30s"),
                                               (.seconds(90), "90s"), (.seconds(300), "5m"), (.seconds(5400), "90m"),
                                               (.seconds(7200), "2h"), (.seconds(86_400), "1d")]
        for (duration, text) in durations {
            #expect(HumanDuration.format(duration) == text)
            #expect(HumanDuration.parse(text) == duration)
        }
        let sizes: [(Int, String)] = [(1, "1"), (300, "300"), (1024, "1KiB"), (64_000, "64KB"), (10 << 20, "10MiB"),
                                      (5_000_000, "5MB"), (1 << 30, "1GiB"), (2_000_000, "2MB")]
        for (bytes, text) in sizes {
            #expect(ByteSize.format(bytes) == text)
            #expect(ByteSize.parse(text) == bytes)
        }
    }

    /// What cannot round trip, kept visible here rather than hidden.
    @Test func theLimitsOfTheRoundTrip() throws {
        // Identities with `enabled: false` (reachable only as `enabled: ${VAR}`): `auth` is then
        // written switched off, which the decoder reads without its identities. Auth stays off.
        let token = "a-token-of-some-length"
        var off = GatewayConfig(sourcePath: "gateway.yaml")
        off.auth = AuthSettings(enabled: false, bearerToken: .value(token))
        let reloaded = try reload(ConfigExport.render(off, format: .yaml, withSecrets: true), file: "gateway.yaml")
        #expect(reloaded.auth.enabled == false && reloaded.auth.bearerToken == nil)
        // Without identities, a non-default stdio principal survives: `enabled` is left out then.
        off.auth = AuthSettings(enabled: false, stdioPrincipal: "me")
        expectEqual(try reload(ConfigExport.render(off, format: .yaml, withSecrets: true), file: "gateway.yaml"), off)
        // A secret whose text is `env:NAME` is read back as the variable NAME.
        var named = GatewayConfig(sourcePath: "gateway.yaml")
        named.auth = AuthSettings(enabled: true, bearerToken: .value("env:NOT_A_VARIABLE"))
        let result = ConfigLoader.parse(yaml: ConfigExport.render(named, format: .yaml, withSecrets: true),
                                        file: "gateway.yaml", environment: [:])
        #expect(result.error(at: "auth.bearer_token") != nil)
        // Paths are exported resolved: loading the export from a relative path with a directory
        // resolves them again (the CLI always loads an absolute path).
        let relative = try #require(ConfigLoader.parse(yaml: "backends: {a: {command: x, cwd: work}}\n", file: "conf/gateway.yaml",
                                                       environment: [:]).config)
        let again = ConfigLoader.parse(yaml: ConfigExport.render(relative, format: .yaml, withSecrets: true),
                                       file: "conf/gateway.yaml", environment: [:]).config
        #expect(relative.backends.first?.cwd == "conf/work" && again?.backends.first?.cwd == "conf/conf/work")
        // A backend with only `a2a_url` is left out of the configuration (with a warning) while its
        // name may still be named, by `meta_mcp.warm_start` say: the export cannot write that
        // backend, so the name is then an error.
        let agent = try #require(parse("backends:\n  agent: {a2a_url: https://agent.example}\nmeta_mcp: {warm_start: [agent]}\n").config)
        let withoutAgent = ConfigLoader.parse(yaml: ConfigExport.render(agent, format: .yaml, withSecrets: true),
                                              file: "gateway.yaml", environment: [:])
        #expect(agent.backends.isEmpty && withoutAgent.error(at: "meta_mcp.warm_start[0]") != nil)
        // A value starting with a byte order mark loses it on any load: Yams makes each scalar's
        // string with Foundation's UTF-8 decoding, which drops a leading U+FEFF (one inside stays).
        var marked = GatewayConfig(sourcePath: "gateway.yaml")
        marked.server.allowedOrigins = ["\u{FEFF}https://a.example", "https://b.example\u{FEFF}"]
        let loaded = try reload(ConfigExport.render(marked, format: .yaml, withSecrets: true), file: "gateway.yaml")
        #expect(loaded.server.allowedOrigins == ["https://a.example", "https://b.example\u{FEFF}"])
    }
}
