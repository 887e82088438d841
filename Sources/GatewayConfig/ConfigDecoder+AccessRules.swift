// Reads the blocks that say what principals may do: an API key's scopes and limits, `policies`
// entries, `routing_profiles`, `default_routing_profile` and `security.tool_policy`. Patterns are
// checked here so a typo fails the load: a resource pattern must name its server (a bare
// `file:///x` would silently match nothing, which in a deny list is a hole).

import Yams

extension ConfigDecoder {
    /// The rule keys of an `auth.api_keys` entry or a `policies` entry, read into `rules`;
    /// false when `entry` is not one of them.
    mutating func principalRule(_ entry: MappingEntry, into rules: inout PrincipalRuleSettings) -> Bool {
        if let list = AccessListKey.ruleBlock[entry.key] {
            accessList(list, entry, into: &rules.access)
            return true
        }
        switch entry.key {
        case "routing_profile":
            if let name = string(entry.value, path: entry.path) {
                rules.routingProfile = name
                profileReferences.append((name, entry.value.mark, entry.path))
            }
        case "rate_limit":
            if let perMinute = count(entry.value, path: entry.path, in: 0...10_000_000) {
                rules.rateLimitPerMinute = perMinute == 0 ? nil : perMinute
            }
        case "tool_rate_limits": rules.toolRateLimits = toolRateLimits(entry.value, path: entry.path)
        case "max_concurrent": rules.maxConcurrent = count(entry.value, path: entry.path, in: 1...100_000)
        default: return false
        }
        return true
    }

    /// `policies: {principals: {NAME: rules}, groups: {...}, scopes: {...}}`.
    mutating func policiesSettings(_ node: Node, path: String) -> PoliciesSettings {
        var settings = PoliciesSettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.policies, path: path) else { return settings }
        for entry in entries {
            let rules = namedRuleBlocks(entry.value, path: entry.path)
            switch entry.key {
            case "principals": settings.principals = rules
            case "groups": settings.groups = rules
            case "scopes": settings.scopes = rules
            default: break
            }
        }
        return settings
    }

    private mutating func namedRuleBlocks(_ node: Node, path: String) -> [String: PrincipalRuleSettings] {
        if node.isNull { return [:] }
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of names to rules ({allowed_tools, denied_tools, ...}) for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return [:]
        }
        var blocks: [String: PrincipalRuleSettings] = [:]
        for (key, value) in pairs {
            let blockPath = configPath(path, key.string)
            guard let entries = supportedEntries(of: value, section: ConfigSchema.principalRules, path: blockPath) else { continue }
            var rules = PrincipalRuleSettings()
            for entry in entries { _ = principalRule(entry, into: &rules) }
            blocks[key.string] = rules
        }
        return blocks
    }

    /// `routing_profiles: {NAME: {description, allow_backends, deny_backends, allow_tools, ...}}`.
    mutating func routingProfiles(_ node: Node, path: String) -> [String: RoutingProfileSettings] {
        if node.isNull { return [:] }
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of profile names to rules for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return [:]
        }
        var profiles: [String: RoutingProfileSettings] = [:]
        for (key, value) in pairs {
            let profilePath = configPath(path, key.string)
            guard let entries = supportedEntries(of: value, section: ConfigSchema.routingProfile, path: profilePath) else { continue }
            var profile = RoutingProfileSettings(name: key.string)
            for entry in entries {
                if let list = AccessListKey.routingProfile[entry.key] {
                    accessList(list, entry, into: &profile.access)
                } else if entry.key == "description" {
                    profile.description = string(entry.value, path: entry.path) ?? ""
                }
            }
            profiles[key.string] = profile
        }
        return profiles
    }

    /// `security.tool_policy`. Written at all, it is enabled with the reference's default deny
    /// list unless it says otherwise.
    mutating func toolPolicy(_ node: Node, path: String) -> ToolPolicySettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.toolPolicy, path: path) else { return nil }
        var policy = ToolPolicySettings()
        for entry in entries {
            switch entry.key {
            case "enabled": policy.enabled = bool(entry.value, path: entry.path) ?? true
            case "default_action":
                if let word = string(entry.value, path: entry.path) {
                    if let action = ToolPolicySettings.DefaultAction(rawValue: word.lowercased()) {
                        policy.defaultAction = action
                    } else {
                        reportMismatch(expected: "'allow' or 'deny'", found: word, node: entry.value, path: entry.path)
                    }
                }
            case "allow": policy.allow = itemGlobs(entry.value, path: entry.path, kind: .tool)
            case "deny": policy.deny = itemGlobs(entry.value, path: entry.path, kind: .tool)
            case "use_default_deny": policy.useDefaultDeny = bool(entry.value, path: entry.path) ?? true
            case "log_denied": policy.logDenied = bool(entry.value, path: entry.path) ?? true
            default: break
            }
        }
        return policy.enabled ? policy : nil
    }

    enum GlobKind {
        case tool, resource, prompt
    }

    /// One allow or deny list of AccessRuleSettings, by the name it has in a rule block (the
    /// reference's API key names) and in a routing profile (the reference's profile names).
    enum AccessListKey {
        case allowedServers, deniedServers, allowedTools, deniedTools, allowedResources, deniedResources
        case allowedPrompts, deniedPrompts

        static let ruleBlock: [String: AccessListKey] = [
            "backends": .allowedServers, "allowed_tools": .allowedTools, "denied_tools": .deniedTools,
            "allowed_resources": .allowedResources, "denied_resources": .deniedResources,
            "allowed_prompts": .allowedPrompts, "denied_prompts": .deniedPrompts,
        ]
        static let routingProfile: [String: AccessListKey] = [
            "allow_backends": .allowedServers, "deny_backends": .deniedServers, "allow_tools": .allowedTools,
            "deny_tools": .deniedTools, "allow_resources": .allowedResources, "deny_resources": .deniedResources,
            "allow_prompts": .allowedPrompts, "deny_prompts": .deniedPrompts,
        ]
    }

    private mutating func accessList(_ list: AccessListKey, _ entry: MappingEntry, into access: inout AccessRuleSettings) {
        let (node, path) = (entry.value, entry.path)
        switch list {
        case .allowedServers: access.allowedServers = serverGlobs(node, path: path, allowAll: true)
        case .deniedServers: access.deniedServers = serverGlobs(node, path: path, allowAll: false)
        case .allowedTools: access.allowedTools = itemGlobs(node, path: path, kind: .tool)
        case .deniedTools: access.deniedTools = itemGlobs(node, path: path, kind: .tool)
        case .allowedResources: access.allowedResources = itemGlobs(node, path: path, kind: .resource)
        case .deniedResources: access.deniedResources = itemGlobs(node, path: path, kind: .resource)
        case .allowedPrompts: access.allowedPrompts = itemGlobs(node, path: path, kind: .prompt)
        case .deniedPrompts: access.deniedPrompts = itemGlobs(node, path: path, kind: .prompt)
        }
    }

    /// Globs over `server:item`. Resource URIs hold colons themselves, so a resource pattern
    /// must name its server (`*:file:///tmp/*` for any server).
    private mutating func itemGlobs(_ node: Node, path: String, kind: GlobKind) -> [String] {
        guard let items = stringList(node, path: path) else { return [] }
        return itemGlobs(items, kind: kind)
    }

    mutating func itemGlobs(_ items: [(value: String, mark: Mark?, path: String)], kind: GlobKind) -> [String] {
        var globs: [String] = []
        for item in items {
            let pattern = item.value.trimmingBlanks()
            if pattern.isEmpty {
                error("'\(item.path)' is an empty pattern", at: item.mark, path: item.path)
                continue
            }
            if kind == .resource {
                guard let colon = pattern.firstIndex(of: ":") else {
                    error("expected 'SERVER:URI' for '\(item.path)' (a resource pattern names its server; '*:\(pattern)' for any server), found '\(pattern)'",
                          at: item.mark, path: item.path)
                    continue
                }
                if pattern[pattern.index(after: colon)...].hasPrefix("//") {
                    error("'\(pattern)' in '\(item.path)' reads as server '\(pattern[..<colon])': a resource pattern is 'SERVER:URI'; write '*:\(pattern)' for any server",
                          at: item.mark, path: item.path)
                    continue
                }
            }
            if let colon = pattern.firstIndex(of: ":") {
                noteServerPattern(String(pattern[..<colon]), mark: item.mark, path: item.path)
            }
            globs.append(pattern)
        }
        return globs
    }

    /// Server-name globs; `*` (or an empty list, with `allowAll`) means every server.
    private mutating func serverGlobs(_ node: Node, path: String, allowAll: Bool) -> [String] {
        guard let items = stringList(node, path: path) else { return [] }
        let globs = items.map { $0.value.trimmingBlanks() }
        if allowAll && globs.contains("*") { return [] }
        for item in items { noteServerPattern(item.value.trimmingBlanks(), mark: item.mark, path: item.path) }
        return globs
    }

    /// A literal server name in a rule is checked against the backends once all are known.
    private mutating func noteServerPattern(_ server: String, mark: Mark?, path: String) {
        guard !server.contains(where: { $0 == "*" || $0 == "?" }) else { return }
        ruleServerReferences.append((server, mark, path))
    }

    /// `tool_rate_limits: [{tool, rate, burst}]`; `rate` is calls per second or `N/s`, `N/min`, `N/h`.
    private mutating func toolRateLimits(_ node: Node, path: String) -> [ToolRateLimitSettings] {
        guard case .sequence(let sequence) = node else {
            error("expected a list of {tool, rate, burst} for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return []
        }
        var limits: [ToolRateLimitSettings] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let entries = supportedEntries(of: item, section: ConfigSchema.toolRateLimit, path: itemPath) else { continue }
            var tool: String?
            var rate: Double?
            var burst: Int?
            for entry in entries {
                switch entry.key {
                case "tool":
                    if let text = string(entry.value, path: entry.path) {
                        tool = itemGlobs([(text, entry.value.mark, entry.path)], kind: .tool).first
                    }
                case "rate": rate = callRate(entry.value, path: entry.path)
                case "burst": burst = count(entry.value, path: entry.path, in: 1...1_000_000)
                default: break
                }
            }
            guard let tool, let rate else {
                // A key that is there but wrong has been reported already.
                if !entries.contains(where: { $0.key == "tool" }) || !entries.contains(where: { $0.key == "rate" }) {
                    error("'\(itemPath)' needs 'tool' (a glob over server:tool) and 'rate' (like 10/min)", at: item.mark, path: itemPath)
                }
                continue
            }
            limits.append(ToolRateLimitSettings(tool: tool, rate: rate, burst: burst ?? max(1, Int(rate.rounded(.up)))))
        }
        return limits
    }

    /// Calls per second from `2.5`, `10/s`, `30/min` or `100/h`.
    private mutating func callRate(_ node: Node, path: String) -> Double? {
        let expected = "a rate like 5/s, 30/min or 100/h (or calls per second as a number)"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        let parts = text.trimmingBlanks().split(separator: "/", maxSplits: 1).map { $0.trimmingBlanks() }
        let seconds: Double?
        switch parts.count == 2 ? parts[1].lowercased() : "s" {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default: seconds = nil
        }
        guard let count = parts.first.flatMap({ Double($0) }), let seconds, count > 0, count.isFinite else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        // Bounded like `burst`: the default burst is the rate rounded up, and a rate past Int.max
        // made that conversion trap (FuzzConfig finding 6).
        guard count / seconds <= Self.maximumCallRate else {
            error("'\(path)' is \(text); at most \(Int(Self.maximumCallRate))/s", at: node.mark, path: path)
            return nil
        }
        return count / seconds
    }

    static let maximumCallRate: Double = 1_000_000

    /// Profiles named by keys and by `default_routing_profile` must exist; literal server
    /// names in rules should be backends (a typo in a deny list would deny nothing).
    mutating func checkRuleReferences(_ config: GatewayConfig) {
        for reference in profileReferences where config.routingProfiles[reference.name] == nil {
            let known = config.routingProfiles.keys.sorted()
            let hint = closestSuggestion(for: reference.name, among: known).map { "; did you mean '\($0)'?" } ?? ""
            error("'\(reference.path)' names routing profile '\(reference.name)', which 'routing_profiles' does not define\(hint)",
                  at: reference.mark, path: reference.path)
        }
        let servers = declaredBackendNames + (config.capabilities.enabled ? [config.capabilities.name] : [])
        for reference in ruleServerReferences where !servers.contains(reference.name) {
            let hint = closestSuggestion(for: reference.name, among: servers).map { "; did you mean '\($0)'?" } ?? ""
            warning("'\(reference.path)' names server '\(reference.name)', which is not a backend: the rule matches nothing\(hint)",
                    at: reference.mark, path: reference.path)
        }
    }
}
