// The `security:` section. Only `ssrf_allow` is implemented; the reference's other keys load with a warning.

/// Security settings that other modules enforce.
public struct SecuritySettings: Sendable, Equatable {
    /// Addresses and ranges that outbound capability requests may reach although they are private,
    /// loopback, link-local or otherwise special-use (which are refused by default).
    public var ssrfAllow: [IPNetwork]

    public init(ssrfAllow: [IPNetwork] = []) {
        self.ssrfAllow = ssrfAllow
    }
}
