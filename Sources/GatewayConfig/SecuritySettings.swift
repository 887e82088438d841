// The `security:` section: outbound SSRF exceptions and the rules every caller is under.
// The reference's keys this gateway does not implement are refused (ConfigSchema.security).

/// Security settings that other modules enforce.
public struct SecuritySettings: Sendable, Equatable {
    /// Addresses and ranges that outbound capability requests may reach although they are private,
    /// loopback, link-local or otherwise special-use (which are refused by default).
    public var ssrfAllow: [IPNetwork]
    /// `tool_policy`: nil when the section is absent (no rule for everyone).
    public var toolPolicy: ToolPolicySettings?
    /// `firewall`: credential redaction, on by default (also when the section is absent).
    public var firewall: FirewallSettings

    public init(ssrfAllow: [IPNetwork] = [], toolPolicy: ToolPolicySettings? = nil, firewall: FirewallSettings = FirewallSettings()) {
        self.ssrfAllow = ssrfAllow
        self.toolPolicy = toolPolicy
        self.firewall = firewall
    }
}
