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

    init(id: String, everyone: AccessRuleSet?, everyoneDeniesToolsByDefault: Bool, grants: [AccessRuleSet], profile: AccessRuleSet?) {
        self.id = id
        self.everyone = everyone
        self.everyoneDeniesToolsByDefault = everyoneDeniesToolsByDefault
        self.grants = grants.filter { !$0.isEmpty }
        self.profile = profile.flatMap { $0.isEmpty ? nil : $0 }
        isUnrestricted = (everyone?.isEmpty ?? true) && !everyoneDeniesToolsByDefault && self.grants.isEmpty && self.profile == nil
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
        let granting = grants.filter { $0.restricts(kind) }
        if !granting.isEmpty, !granting.contains(where: { $0.allows(kind, server: server, item: item) }) {
            return .hidden(rule: "\(granting.map(\.label).joined(separator: ", ")) allow no match", wholeServer: false)
        }
        if let profile, profile.restricts(kind), !profile.allows(kind, server: server, item: item) {
            return .hidden(rule: "\(profile.label) allows no match", wholeServer: false)
        }
        return .visible
    }

    public func isVisible(_ target: AccessTarget) -> Bool { verdict(target).isVisible }

    private var layers: [AccessRuleSet] {
        var all: [AccessRuleSet] = []
        if let everyone { all.append(everyone) }
        all.append(contentsOf: grants)
        if let profile { all.append(profile) }
        return all
    }

    private func serverDenial(_ server: String) -> String? {
        for set in layers {
            if let rule = set.serverDenial(server) { return rule }
        }
        let granting = grants.filter(\.restrictsServers)
        if !granting.isEmpty, !granting.contains(where: { $0.allowsServer(server) }) {
            return "\(granting.map(\.label).joined(separator: ", ")) allow no server '\(server)'"
        }
        if let profile, profile.restrictsServers, !profile.allowsServer(server) {
            return "\(profile.label) allows no server '\(server)'"
        }
        return nil
    }
}
