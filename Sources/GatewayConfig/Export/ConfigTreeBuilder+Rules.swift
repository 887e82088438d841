// The export tree's rules for principals: the rule keys an API key and a `policies` entry share,
// `policies:`, and `routing_profiles:` (the same allow and deny lists with the reference's
// profile key names).

import MCPProtocol

extension ConfigTreeBuilder {
    /// The rule keys of ConfigSchema.principalRuleKeys, in that order.
    func ruleMembers(_ rules: PrincipalRuleSettings) -> [(String, JSONValue)] {
        let access = rules.access
        let toolRateLimits = rules.toolRateLimits.map { limit in
            // `rate` is calls per second; a plain number is read as that.
            JSONValue.object(JSONObject([("tool", text(limit.tool)), ("rate", number(limit.rate)), ("burst", count(limit.burst))]))
        }
        return [
            // An empty list allows every server, as `["*"]` does.
            ("backends", texts(access.allowedServers)),
            ("allowed_tools", texts(access.allowedTools)),
            ("denied_tools", texts(access.deniedTools)),
            ("allowed_resources", texts(access.allowedResources)),
            ("denied_resources", texts(access.deniedResources)),
            ("allowed_prompts", texts(access.allowedPrompts)),
            ("denied_prompts", texts(access.deniedPrompts)),
            ("routing_profile", optional(rules.routingProfile, text)),
            ("rate_limit", optional(rules.rateLimitPerMinute, count)),
            ("tool_rate_limits", .array(toolRateLimits)),
            ("max_concurrent", optional(rules.maxConcurrent, count)),
        ]
    }

    func policies(_ settings: PoliciesSettings) -> JSONValue {
        let block = { (rules: PrincipalRuleSettings) in JSONValue.object(JSONObject(ruleMembers(rules))) }
        return .object(JSONObject([
            ("principals", sortedObject(settings.principals, block)),
            ("groups", sortedObject(settings.groups, block)),
            ("scopes", sortedObject(settings.scopes, block)),
        ]))
    }

    func routingProfiles(_ profiles: [String: RoutingProfileSettings]) -> JSONValue {
        sortedObject(profiles) { profile in
            let access = profile.access
            return .object(JSONObject([
                ("description", text(profile.description)),
                ("allow_backends", texts(access.allowedServers)),
                ("deny_backends", texts(access.deniedServers)),
                ("allow_tools", texts(access.allowedTools)),
                ("deny_tools", texts(access.deniedTools)),
                ("allow_resources", texts(access.allowedResources)),
                ("deny_resources", texts(access.deniedResources)),
                ("allow_prompts", texts(access.allowedPrompts)),
                ("deny_prompts", texts(access.deniedPrompts)),
            ]))
        }
    }
}
