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
    /// `pinning`: what a changed or new tool of an approved server gets (default `warn`).
    public var pinning: PinningMode

    public init(ssrfAllow: [IPNetwork] = [], toolPolicy: ToolPolicySettings? = nil, firewall: FirewallSettings = FirewallSettings(),
                pinning: PinningMode = .warn) {
        self.ssrfAllow = ssrfAllow
        self.toolPolicy = toolPolicy
        self.firewall = firewall
        self.pinning = pinning
    }
}

/// `security.pinning`: tool definitions are pinned on first sight; a later change is held until
/// approved (`enforce`), passed but flagged (`warn`), or not tracked at all (`off`).
public enum PinningMode: String, Sendable, Equatable, CaseIterable {
    case enforce, warn, off
}
