// Scopes: which tools, resources, prompts and servers each principal sees, across the three
// layers (tool_policy, the principal's grants, its routing profile), deny winning.

import GatewayAuth
import GatewayConfig
import GatewayGovernance
import Testing

@Suite struct AccessPolicyTests {
    private func key(_ name: String, _ access: AccessRuleSettings = AccessRuleSettings(), profile: String? = nil) -> APIKeySettings {
        APIKeySettings(name: name, key: "k-\(name)-0123456789abcdef", rules: PrincipalRuleSettings(access: access, routingProfile: profile))
    }

    private func principal(_ name: String, method: Principal.Method = .apiKey, groups: [String] = [], scopes: [String] = []) -> Principal {
        Principal(name: name, method: method, groups: groups, scopes: scopes, isAdmin: false)
    }

    @Test func noRulesMeansNothingIsFiltered() {
        let policy = AccessPolicy(config: GatewayConfig())
        #expect(!policy.isInForce)
        #expect(policy.access(for: principal("x")).isUnrestricted)
    }

    @Test func allowAndDenyGlobsOverServerAndTool() {
        var config = GatewayConfig()
        config.auth.apiKeys = [key("ci", AccessRuleSettings(allowedTools: ["github:*", "read_file"], deniedTools: ["*:delete_*"]))]
        let access = AccessPolicy(config: config).access(for: principal("ci"))
        #expect(access.isVisible(.tool(server: "github", name: "create_issue")))
        #expect(!access.isVisible(.tool(server: "github", name: "delete_repo")))
        #expect(access.isVisible(.tool(server: "fs", name: "read_file")))
        #expect(!access.isVisible(.tool(server: "fs", name: "write_file")))
        // The rule is named for the audit trail.
        #expect(access.verdict(.tool(server: "github", name: "delete_repo"))
            == .hidden(rule: "auth.api_keys[ci] denies '*:delete_*'", wholeServer: false))
        // Resources and prompts are not restricted by tool lists.
        #expect(access.isVisible(.resource(server: "fs", uri: "file:///a")))
    }

    @Test func backendsHideWholeServers() {
        var config = GatewayConfig()
        config.auth.apiKeys = [key("ci", AccessRuleSettings(allowedServers: ["git*"]))]
        let access = AccessPolicy(config: config).access(for: principal("ci"))
        #expect(access.isVisible(.server("github")))
        #expect(access.verdict(.tool(server: "fs", name: "read_file")) == .hidden(rule: "auth.api_keys[ci] allow no server 'fs'", wholeServer: true))
        #expect(!access.isVisible(.prompt(server: "fs", name: "p")))
    }

    @Test func resourcesAndPromptsHaveTheirOwnLists() {
        var config = GatewayConfig()
        config.auth.apiKeys = [key("r", AccessRuleSettings(allowedResources: ["fs:file:///tmp/*"], deniedPrompts: ["*:secret*"]))]
        let access = AccessPolicy(config: config).access(for: principal("r"))
        #expect(access.isVisible(.resource(server: "fs", uri: "file:///tmp/x/y")))
        #expect(!access.isVisible(.resource(server: "fs", uri: "file:///etc/passwd")))
        #expect(!access.isVisible(.resource(server: "other", uri: "file:///tmp/x")))
        #expect(!access.isVisible(.prompt(server: "fs", name: "secret_plan")))
        #expect(access.isVisible(.prompt(server: "fs", name: "summary")))
        #expect(access.isVisible(.tool(server: "fs", name: "anything")))
    }

    @Test func toolPolicyAppliesToEveryoneWithTheDefaultDenyList() {
        var config = GatewayConfig()
        config.security.toolPolicy = ToolPolicySettings(deny: ["*:drop_*"])
        let policy = AccessPolicy(config: config)
        for who in [principal("a"), Principal.unauthenticated] {
            let access = policy.access(for: who)
            #expect(!access.isVisible(.tool(server: "fs", name: "write_file")))
            #expect(!access.isVisible(.tool(server: "db", name: "drop_users")))
            #expect(access.isVisible(.tool(server: "fs", name: "read_file")))
        }
        config.security.toolPolicy = ToolPolicySettings(defaultAction: .deny, allow: ["read_*"], useDefaultDeny: false)
        let strict = AccessPolicy(config: config).access(for: principal("a"))
        #expect(strict.isVisible(.tool(server: "fs", name: "read_file")))
        #expect(!strict.isVisible(.tool(server: "fs", name: "list_dir")))
        config.security.toolPolicy = ToolPolicySettings(defaultAction: .deny, useDefaultDeny: false)
        #expect(!AccessPolicy(config: config).access(for: principal("a")).isVisible(.tool(server: "fs", name: "read_file")))
    }

    @Test func groupGrantsAddUpAndDenyWins() {
        var config = GatewayConfig()
        config.policies.groups = [
            "eng": PrincipalRuleSettings(access: AccessRuleSettings(allowedTools: ["github:*"])),
            "ops": PrincipalRuleSettings(access: AccessRuleSettings(allowedTools: ["k8s:*"], deniedTools: ["github:delete_*"])),
            "audit": PrincipalRuleSettings(access: AccessRuleSettings(deniedTools: ["k8s:exec"])),
        ]
        let policy = AccessPolicy(config: config)
        let both = policy.access(for: principal("sam", method: .oauth, groups: ["eng", "ops", "audit"]))
        #expect(both.isVisible(.tool(server: "github", name: "create_issue")))
        #expect(both.isVisible(.tool(server: "k8s", name: "get_pods")))
        #expect(!both.isVisible(.tool(server: "github", name: "delete_repo")))
        #expect(!both.isVisible(.tool(server: "k8s", name: "exec")))
        #expect(!both.isVisible(.tool(server: "fs", name: "read_file")))
        // A block with only denies grants nothing extra: other tools stay visible to an auditor alone.
        let auditor = policy.access(for: principal("al", method: .oauth, groups: ["audit"]))
        #expect(auditor.isVisible(.tool(server: "fs", name: "read_file")))
        #expect(!auditor.isVisible(.tool(server: "k8s", name: "exec")))
        // No matching block: unrestricted.
        #expect(policy.access(for: principal("zed", method: .oauth, groups: ["sales"])).isUnrestricted)
    }

    @Test func scopesAndPrincipalNamesMatch() {
        var config = GatewayConfig()
        config.policies.scopes = ["mcp:read": PrincipalRuleSettings(access: AccessRuleSettings(allowedTools: ["*:read_*"]))]
        config.policies.principals = ["cert-bot": PrincipalRuleSettings(access: AccessRuleSettings(deniedTools: ["*"]))]
        let policy = AccessPolicy(config: config)
        let reader = policy.access(for: principal("u", method: .oauth, scopes: ["mcp:read"]))
        #expect(reader.isVisible(.tool(server: "fs", name: "read_file")))
        #expect(!reader.isVisible(.tool(server: "fs", name: "write_file")))
        let bot = policy.access(for: principal("cert-bot", method: .clientCertificate))
        #expect(!bot.isVisible(.tool(server: "fs", name: "read_file")))
        // The same subject with other scopes is resolved again, not served from the cache.
        #expect(policy.access(for: principal("u", method: .oauth)).isUnrestricted)
    }

    @Test func routingProfilesNarrowAndDefault() {
        var config = GatewayConfig()
        config.routingProfiles = [
            "readonly": RoutingProfileSettings(name: "readonly", access: AccessRuleSettings(deniedServers: ["prod*"], deniedTools: ["*write*"])),
            "github-only": RoutingProfileSettings(name: "github-only", access: AccessRuleSettings(allowedServers: ["github"])),
        ]
        config.defaultRoutingProfile = "readonly"
        config.auth.apiKeys = [key("gh", AccessRuleSettings(allowedTools: ["*"]), profile: "github-only")]
        let policy = AccessPolicy(config: config)
        let plain = policy.access(for: principal("someone", method: .bearerToken))
        #expect(!plain.isVisible(.tool(server: "fs", name: "write_file")))
        #expect(!plain.isVisible(.server("prod-db")))
        #expect(plain.isVisible(.tool(server: "fs", name: "read_file")))
        let gh = policy.access(for: principal("gh"))
        #expect(gh.isVisible(.tool(server: "github", name: "write_file")))
        #expect(gh.verdict(.tool(server: "fs", name: "read_file")) == .hidden(rule: "routing_profiles[github-only] allows no server 'fs'", wholeServer: true))
    }

    @Test func principalsWithTheSameBlocksShareTheirAccess() {
        var config = GatewayConfig()
        config.policies.groups = ["eng": PrincipalRuleSettings(access: AccessRuleSettings(allowedTools: ["github:*"]))]
        let policy = AccessPolicy(config: config)
        let a = policy.access(for: principal("a", method: .oauth, groups: ["eng"]))
        let b = policy.access(for: principal("b", method: .oauth, groups: ["eng"]))
        #expect(a === b)
        #expect(AccessPolicy(config: config).epoch != policy.epoch)
    }
}
