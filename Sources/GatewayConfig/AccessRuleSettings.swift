// What a principal may see and use, as written in the config: allow and deny globs over
// `server:tool`, `server:uri` and `server:prompt`, and over server names. The same block is an
// `auth.api_keys` entry's, a `policies` entry's (keyed by principal, OAuth group or scope) and,
// with the reference's names, a routing profile's. GatewayGovernance compiles and enforces it.

/// Allow and deny lists; an empty allow list allows everything, a deny match always wins.
public struct AccessRuleSettings: Sendable, Equatable {
    /// Globs over server names (`backends` in the reference; `allow_backends` in a profile).
    public var allowedServers: [String]
    public var deniedServers: [String]
    /// Globs over `server:tool`; a pattern without `:` matches the tool name on any server.
    public var allowedTools: [String]
    public var deniedTools: [String]
    /// Globs over `server:uri` (the backend's own URI); the server part is required.
    public var allowedResources: [String]
    public var deniedResources: [String]
    /// Globs over `server:prompt`; a pattern without `:` matches the prompt name on any server.
    public var allowedPrompts: [String]
    public var deniedPrompts: [String]

    public init(allowedServers: [String] = [], deniedServers: [String] = [], allowedTools: [String] = [],
                deniedTools: [String] = [], allowedResources: [String] = [], deniedResources: [String] = [],
                allowedPrompts: [String] = [], deniedPrompts: [String] = []) {
        self.allowedServers = allowedServers
        self.deniedServers = deniedServers
        self.allowedTools = allowedTools
        self.deniedTools = deniedTools
        self.allowedResources = allowedResources
        self.deniedResources = deniedResources
        self.allowedPrompts = allowedPrompts
        self.deniedPrompts = deniedPrompts
    }

    /// True when the block restricts nothing.
    public var isEmpty: Bool { self == AccessRuleSettings() }
}

/// One token bucket for one principal's calls of the tools a glob matches.
public struct ToolRateLimitSettings: Sendable, Equatable {
    /// Glob over `server:tool` (bare: the tool on any server).
    public var tool: String
    /// Calls per second the bucket refills.
    public var rate: Double
    /// Calls the bucket holds (a burst allowed after a quiet spell).
    public var burst: Int

    public init(tool: String, rate: Double, burst: Int) {
        self.tool = tool
        self.rate = rate
        self.burst = burst
    }
}

/// Everything the config says about one principal (or one group or scope of principals).
public struct PrincipalRuleSettings: Sendable, Equatable {
    public var access: AccessRuleSettings
    /// The routing profile this principal uses (overrides `default_routing_profile`).
    public var routingProfile: String?
    /// The reference's `rate_limit`: requests per minute over every call; nil or 0: none.
    public var rateLimitPerMinute: Int?
    /// Token buckets per tool glob.
    public var toolRateLimits: [ToolRateLimitSettings]
    /// Calls of this principal in flight at once (more wait in a bounded queue); nil: no limit.
    public var maxConcurrent: Int?

    public init(access: AccessRuleSettings = AccessRuleSettings(), routingProfile: String? = nil,
                rateLimitPerMinute: Int? = nil, toolRateLimits: [ToolRateLimitSettings] = [], maxConcurrent: Int? = nil) {
        self.access = access
        self.routingProfile = routingProfile
        self.rateLimitPerMinute = rateLimitPerMinute
        self.toolRateLimits = toolRateLimits
        self.maxConcurrent = maxConcurrent
    }
}

/// `routing_profiles.NAME`: a named set of rules a principal selects.
public struct RoutingProfileSettings: Sendable, Equatable {
    public var name: String
    public var description: String
    public var access: AccessRuleSettings

    public init(name: String, description: String = "", access: AccessRuleSettings = AccessRuleSettings()) {
        self.name = name
        self.description = description
        self.access = access
    }
}

/// `policies:` rules for principals by name, OAuth group and OAuth scope.
public struct PoliciesSettings: Sendable, Equatable {
    /// By principal name: an OAuth subject (or the configured claim), a client-certificate
    /// name, an API key's name, the stdio principal.
    public var principals: [String: PrincipalRuleSettings]
    /// By group (`auth.oauth.groups_claim`).
    public var groups: [String: PrincipalRuleSettings]
    /// By OAuth scope.
    public var scopes: [String: PrincipalRuleSettings]

    public init(principals: [String: PrincipalRuleSettings] = [:], groups: [String: PrincipalRuleSettings] = [:],
                scopes: [String: PrincipalRuleSettings] = [:]) {
        self.principals = principals
        self.groups = groups
        self.scopes = scopes
    }

    public var isEmpty: Bool { principals.isEmpty && groups.isEmpty && scopes.isEmpty }
}

/// `security.tool_policy`: rules for everyone, the reference's default deny list included.
public struct ToolPolicySettings: Sendable, Equatable {
    public enum DefaultAction: String, Sendable, Equatable { case allow, deny }

    public var enabled: Bool
    /// `deny`: only tools an `allow` glob matches are visible.
    public var defaultAction: DefaultAction
    public var allow: [String]
    public var deny: [String]
    /// Adds `defaultDenyList` to `deny` (true when the section is written, as in the reference).
    public var useDefaultDeny: Bool
    /// Logs each denied call with the rule that denied it.
    public var logDenied: Bool

    public init(enabled: Bool = true, defaultAction: DefaultAction = .allow, allow: [String] = [], deny: [String] = [],
                useDefaultDeny: Bool = true, logDenied: Bool = true) {
        self.enabled = enabled
        self.defaultAction = defaultAction
        self.allow = allow
        self.deny = deny
        self.useDefaultDeny = useDefaultDeny
        self.logDenied = logDenied
    }

    /// The reference's default deny list: tools that write, delete or execute.
    public static let defaultDenyList = [
        "write_file", "delete_file", "move_file", "create_directory", "run_command", "execute_command",
        "shell_exec", "run_script", "eval", "drop_table", "drop_database", "truncate_table", "kill_process",
        "shutdown", "reboot",
    ]

    /// The deny globs in force.
    public var effectiveDeny: [String] { useDefaultDeny ? deny + Self.defaultDenyList : deny }
}
