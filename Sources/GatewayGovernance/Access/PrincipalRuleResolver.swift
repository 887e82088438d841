// Which config blocks apply to a principal: its API key's entry, then `policies.principals`
// by name, then `policies.groups` for each of its groups and `policies.scopes` for each scope,
// in that order; and the routing profile it selects (the first block naming one, else
// `default_routing_profile`). Scopes, limits and budgets all read principals through this.

import GatewayAuth
import GatewayConfig

/// One block that applies to a principal, with the label naming it in logs and the audit trail.
public struct MatchedRuleBlock: Sendable {
    public let label: String
    public let rules: PrincipalRuleSettings
}

public enum PrincipalRuleResolver {
    public static func blocks(for principal: Principal, in config: GatewayConfig) -> [MatchedRuleBlock] {
        var blocks: [MatchedRuleBlock] = []
        if principal.method == .apiKey, let key = config.auth.apiKeys.first(where: { $0.name == principal.name }) {
            blocks.append(MatchedRuleBlock(label: "auth.api_keys[\(key.name)]", rules: key.rules))
        }
        let policies = config.policies
        guard !policies.isEmpty else { return blocks }
        if let rules = policies.principals[principal.name] {
            blocks.append(MatchedRuleBlock(label: "policies.principals[\(principal.name)]", rules: rules))
        }
        for group in principal.groups {
            if let rules = policies.groups[group] { blocks.append(MatchedRuleBlock(label: "policies.groups[\(group)]", rules: rules)) }
        }
        for scope in principal.scopes {
            if let rules = policies.scopes[scope] { blocks.append(MatchedRuleBlock(label: "policies.scopes[\(scope)]", rules: rules)) }
        }
        return blocks
    }

    /// The routing profile the principal uses, if any.
    public static func profile(for blocks: [MatchedRuleBlock], in config: GatewayConfig) -> RoutingProfileSettings? {
        let name = blocks.lazy.compactMap(\.rules.routingProfile).first ?? config.defaultRoutingProfile
        return name.flatMap { config.routingProfiles[$0] }
    }
}
