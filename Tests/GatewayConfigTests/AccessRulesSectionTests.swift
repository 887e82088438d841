// The blocks that say what principals may do: API key scopes and limits, `policies`,
// `routing_profiles` and `security.tool_policy`, and the mistakes each reports with its line.

import Testing
@testable import GatewayConfig

@Suite struct AccessRulesSectionTests {
    private let backends = "backends:\n  fs:\n    command: x\n  github:\n    command: y\n"

    @Test func apiKeyRulesLoad() throws {
        let result = parse(backends + """
            auth:
              api_keys:
                - name: ci
                  key: k123456789abcdefgh
                  backends: [github]
                  allowed_tools: ["github:*", read_file]
                  denied_tools: ["*:delete_*"]
                  allowed_resources: ["fs:file:///tmp/*"]
                  denied_prompts: [secret_prompt]
                  rate_limit: 60
                  tool_rate_limits: [{tool: "github:create_*", rate: 10/min, burst: 2}, {tool: read_file, rate: 5}]
                  max_concurrent: 4
                  routing_profile: readonly
            routing_profiles:
              readonly:
                description: no writes
                deny_tools: ["*write*"]
            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let config = try #require(result.config)
        let rules = config.auth.apiKeys[0].rules
        #expect(rules.access.allowedServers == ["github"])
        #expect(rules.access.allowedTools == ["github:*", "read_file"])
        #expect(rules.access.deniedTools == ["*:delete_*"])
        #expect(rules.access.allowedResources == ["fs:file:///tmp/*"])
        #expect(rules.access.deniedPrompts == ["secret_prompt"])
        #expect(rules.rateLimitPerMinute == 60)
        #expect(rules.toolRateLimits == [ToolRateLimitSettings(tool: "github:create_*", rate: 10.0 / 60, burst: 2),
                                         ToolRateLimitSettings(tool: "read_file", rate: 5, burst: 5)])
        #expect(rules.maxConcurrent == 4)
        #expect(rules.routingProfile == "readonly")
        #expect(config.routingProfiles["readonly"]?.access.deniedTools == ["*write*"])
    }

    @Test func policiesByPrincipalGroupAndScope() throws {
        let result = parse(backends + """
            policies:
              principals:
                alice: {allowed_tools: ["fs:*"]}
              groups:
                engineering: {denied_tools: [delete_file], routing_profile: safe}
              scopes:
                "mcp:read": {allowed_tools: ["*:read_*", "*:list_*"]}
            routing_profiles:
              safe: {allow_backends: [fs, github]}
            default_routing_profile: safe
            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let config = try #require(result.config)
        #expect(config.policies.principals["alice"]?.access.allowedTools == ["fs:*"])
        #expect(config.policies.groups["engineering"]?.routingProfile == "safe")
        #expect(config.policies.scopes["mcp:read"]?.access.allowedTools == ["*:read_*", "*:list_*"])
        #expect(config.routingProfiles["safe"]?.access.allowedServers == ["fs", "github"])
        #expect(config.defaultRoutingProfile == "safe")
    }

    @Test func toolPolicyDefaultsToTheReferenceDenyList() throws {
        let written = try #require(parse("security:\n  tool_policy: {deny: [\"*:rm\"]}\n").config)
        let policy = try #require(written.security.toolPolicy)
        #expect(policy.useDefaultDeny && policy.defaultAction == .allow)
        #expect(policy.effectiveDeny.contains("write_file") && policy.effectiveDeny.contains("*:rm"))
        #expect(try #require(parse("").config).security.toolPolicy == nil)
        #expect(try #require(parse("security:\n  tool_policy: {enabled: false}\n").config).security.toolPolicy == nil)
        let allowList = try #require(parse("security:\n  tool_policy: {default_action: deny, allow: [read_file], use_default_deny: false}\n").config)
        #expect(allowList.security.toolPolicy?.defaultAction == .deny)
        #expect(allowList.security.toolPolicy?.effectiveDeny == [])
    }

    @Test(arguments: [
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, allowed_resources: [\"file:///tmp/*\"]}]\n",
         "auth.api_keys[0].allowed_resources[0]", "write '*:file:///tmp/*' for any server"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, denied_resources: [\"/tmp\"]}]\n",
         "auth.api_keys[0].denied_resources[0]", "expected 'SERVER:URI'"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, routing_profile: nope}]\n",
         "auth.api_keys[0].routing_profile", "names routing profile 'nope'"),
        ("default_routing_profile: nope\n", "default_routing_profile", "does not define"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, rate_limit: many}]\n", "auth.api_keys[0].rate_limit", "expected"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, tool_rate_limits: [{tool: x, rate: 3/week}]}]\n",
         "auth.api_keys[0].tool_rate_limits[0].rate", "a rate like"),
        // FuzzConfig finding 6: a rate past Int.max trapped while its default burst was computed.
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, tool_rate_limits: [{tool: x, rate: 99999999999999999999999999}]}]\n",
         "auth.api_keys[0].tool_rate_limits[0].rate", "at most 1000000/s"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, tool_rate_limits: [{tool: x, rate: 1e300/h}]}]\n",
         "auth.api_keys[0].tool_rate_limits[0].rate", "at most 1000000/s"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, tool_rate_limits: [{rate: 3}]}]\n",
         "auth.api_keys[0].tool_rate_limits[0]", "needs 'tool'"),
        ("auth:\n  api_keys: [{name: a, key: k123456789abcdefgh, max_concurrent: 0}]\n", "auth.api_keys[0].max_concurrent", "expected"),
        ("policies:\n  teams: {}\n", "policies.teams", "unknown key 'teams'"),
        ("policies:\n  groups:\n    eng: {allowed_tool: [x]}\n", "policies.groups.eng.allowed_tool", "did you mean 'allowed_tools'?"),
        ("security:\n  tool_policy: {default_action: maybe}\n", "security.tool_policy.default_action", "'allow' or 'deny'"),
        ("routing_profiles:\n  p: {allow_tool: [x]}\n", "routing_profiles.p.allow_tool", "did you mean 'allow_tools'?"),
    ])
    func mistakesAreErrors(_ yaml: String, _ path: String, _ fragment: String) {
        let result = parse(yaml)
        #expect(result.config == nil)
        #expect(result.errors.first?.path == path, "\(result.errors)")
        #expect(result.errors.first?.message.contains(fragment) == true, "\(result.errors)")
    }

    /// A literal server in a rule that is not a backend matches nothing: a warning, with a suggestion.
    @Test func unknownServersInRulesAreWarnedAbout() {
        let result = parse(backends + "policies:\n  principals:\n    bob: {denied_tools: [\"githb:*\"]}\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.path) == ["policies.principals.bob.denied_tools[0]"])
        #expect(result.warningMessages.first?.contains("did you mean 'github'?") == true)
    }
}
