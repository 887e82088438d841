// The scopes in force, built from one configuration: resolves each principal to its
// PrincipalAccess once and remembers it. A reload builds a new AccessPolicy; `epoch` tells
// caches built on an older one apart.

import GatewayAuth
import GatewayConfig
import Synchronization

public final class AccessPolicy: Sendable {
    /// False when no rule exists anywhere in the config: every principal is unrestricted.
    public let isInForce: Bool
    /// Distinct per policy built in this process.
    public let epoch: Int
    /// `security.tool_policy.log_denied`.
    public let logsDenials: Bool
    private let config: GatewayConfig
    private let everyone: AccessRuleSet?
    private let everyoneDeniesToolsByDefault: Bool
    /// By principal: its name, method, groups and scopes (Principal's equality), so a token
    /// with other groups or scopes is resolved again. Keyed by the principal itself, not a
    /// string built from it: no allocation per call.
    private let byPrincipal = Mutex<[Principal: PrincipalAccess]>([:])
    /// By id, so principals with the same blocks share one PrincipalAccess.
    private let byID = Mutex<[String: PrincipalAccess]>([:])
    /// Bounds the memory a stream of distinct OAuth subjects can take.
    static let cacheLimit = 10_000
    private static let epochs = Atomic<Int>(0)

    public init(config: GatewayConfig) {
        self.config = config
        epoch = Self.epochs.add(1, ordering: .relaxed).newValue
        let toolPolicy = config.security.toolPolicy
        everyone = toolPolicy.map {
            AccessRuleSet(label: "security.tool_policy", settings: AccessRuleSettings(allowedTools: $0.allow, deniedTools: $0.effectiveDeny))
        }
        everyoneDeniesToolsByDefault = toolPolicy?.defaultAction == .deny
        logsDenials = toolPolicy?.logDenied ?? true
        let hasRules = config.auth.apiKeys.contains { !$0.rules.access.isEmpty || $0.rules.routingProfile != nil }
            || !config.policies.isEmpty || config.defaultRoutingProfile != nil
        isInForce = toolPolicy != nil || hasRules
    }

    /// What `principal` may see and use.
    public func access(for principal: Principal) -> PrincipalAccess {
        guard isInForce else { return .unrestricted }
        if let known = byPrincipal.withLock({ $0[principal] }) { return known }
        let resolved = resolve(principal)
        byPrincipal.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[principal] = resolved
        }
        return resolved
    }

    private func resolve(_ principal: Principal) -> PrincipalAccess {
        let blocks = PrincipalRuleResolver.blocks(for: principal, in: config)
        let profile = PrincipalRuleResolver.profile(for: blocks, in: config)
        let id = (blocks.map(\.label) + [profile.map { "routing_profiles[\($0.name)]" } ?? ""]).joined(separator: "+")
        if let shared = byID.withLock({ $0[id] }) { return shared }
        let access = PrincipalAccess(
            id: id, everyone: everyone, everyoneDeniesToolsByDefault: everyoneDeniesToolsByDefault,
            grants: blocks.map { AccessRuleSet(label: $0.label, settings: $0.rules.access) },
            profile: profile.map { AccessRuleSet(label: "routing_profiles[\($0.name)]", settings: $0.access) })
        let canonical = access.isUnrestricted ? PrincipalAccess.unrestricted : access
        byID.withLock { shared in
            if shared.count >= Self.cacheLimit { shared.removeAll(keepingCapacity: true) }
            shared[id] = canonical
        }
        return canonical
    }
}
