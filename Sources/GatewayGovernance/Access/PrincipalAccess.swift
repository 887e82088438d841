// What one principal may see and use, as three layers that must all agree: the rules for
// everyone (`security.tool_policy`), the principal's own grants (its API key entry and the
// `policies` entries for its name, groups and scopes), and its routing profile. A deny in any
// layer wins. Allow lists are grants: within the principal's layer the lists of its blocks add
// up (a block without an allow list grants nothing extra), and a layer with no allow list for
// a kind allows every item of that kind.

import GatewayConfig

public final class PrincipalAccess: Sendable {
    /// Names the combination of blocks: principals with the same id see the same catalog.
    public let id: String
    let everyone: AccessRuleSet?
    /// `tool_policy.default_action: deny`: only its allow list is visible, even when empty.
    let everyoneDeniesToolsByDefault: Bool
    let grants: [AccessRuleSet]
    let profile: AccessRuleSet?
    /// No rule applies: everything is visible (the fast path).
    public let isUnrestricted: Bool
    // Worked out once, since a verdict is asked on every call: every layer in order, the
    // grants that list servers, and per kind the grants that list items.
    private let layers: [AccessRuleSet]
    private let serverGrants: [AccessRuleSet]
    private let itemGrants: [AccessRuleSet.Kind: [AccessRuleSet]]

    init(id: String, everyone: AccessRuleSet?, everyoneDeniesToolsByDefault: Bool, grants: [AccessRuleSet], profile: AccessRuleSet?) {
        self.id = id
        let everyone = everyone.flatMap { $0.isEmpty && !everyoneDeniesToolsByDefault ? nil : $0 }
        self.everyone = everyone
        self.everyoneDeniesToolsByDefault = everyoneDeniesToolsByDefault
        let grants = grants.filter { !$0.isEmpty }
        self.grants = grants
        let profile = profile.flatMap { $0.isEmpty ? nil : $0 }
        self.profile = profile
        isUnrestricted = everyone == nil && !everyoneDeniesToolsByDefault && grants.isEmpty && profile == nil
        layers = (everyone.map { [$0] } ?? []) + grants + (profile.map { [$0] } ?? [])
        serverGrants = grants.filter(\.restrictsServers)
        var itemGrants: [AccessRuleSet.Kind: [AccessRuleSet]] = [:]
        for kind in [AccessRuleSet.Kind.tool, .resource, .prompt] {
            let granting = grants.filter { $0.restricts(kind) }
            if !granting.isEmpty { itemGrants[kind] = granting }
        }
        self.itemGrants = itemGrants
    }

    public static let unrestricted = PrincipalAccess(id: "", everyone: nil, everyoneDeniesToolsByDefault: false, grants: [], profile: nil)

    public func verdict(_ target: AccessTarget) -> AccessVerdict {
        if isUnrestricted { return .visible }
        let server = target.server
        if let rule = serverDenial(server) { return .hidden(rule: rule, wholeServer: true) }
        guard let kind = target.kind else { return .visible }
        let item = target.item
        for set in layers {
            if let rule = set.denial(kind, server: server, item: item) { return .hidden(rule: rule, wholeServer: false) }
        }
        if kind == .tool, let everyone, everyone.restricts(.tool) || everyoneDeniesToolsByDefault,
           !everyone.allows(.tool, server: server, item: item) {
            return .hidden(rule: "\(everyone.label) allows only its 'allow' list", wholeServer: false)
        }
        if let granting = itemGrants[kind], !granting.contains(where: { $0.allows(kind, server: server, item: item) }) {
            return .hidden(rule: "\(granting.map(\.label).joined(separator: ", ")) allow no match", wholeServer: false)
        }
        if let profile, profile.restricts(kind), !profile.allows(kind, server: server, item: item) {
            return .hidden(rule: "\(profile.label) allows no match", wholeServer: false)
        }
        return .visible
    }

    public func isVisible(_ target: AccessTarget) -> Bool { verdict(target).isVisible }

    private func serverDenial(_ server: String) -> String? {
        for set in layers {
            if let rule = set.serverDenial(server) { return rule }
        }
        if !serverGrants.isEmpty, !serverGrants.contains(where: { $0.allowsServer(server) }) {
            return "\(serverGrants.map(\.label).joined(separator: ", ")) allow no server '\(server)'"
        }
        if let profile, profile.restrictsServers, !profile.allowsServer(server) {
            return "\(profile.label) allows no server '\(server)'"
        }
        return nil
    }
}
