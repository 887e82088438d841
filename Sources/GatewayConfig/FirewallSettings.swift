// `security.firewall`: what the gateway does to traffic between clients and backends. Of the
// reference's firewall only credential redaction is implemented; its other keys (request and
// response scanning, prompt-injection, anomaly and memory-poisoning detection, rules, an
// audit log of findings) are refused when they ask for something (ConfigDecoder+Firewall).

public struct FirewallSettings: Sendable, Equatable {
    /// `enabled` (default true): false switches every firewall feature off.
    public var enabled: Bool
    /// `credential_redaction` (default true): results and backend errors are scanned for
    /// credentials, each replaced with `[redacted:<kind>]` before it reaches the client.
    public var credentialRedaction: Bool

    public init(enabled: Bool = true, credentialRedaction: Bool = true) {
        self.enabled = enabled
        self.credentialRedaction = credentialRedaction
    }

    /// Whether results are redacted: on unless the section or the key says otherwise.
    public var redactsCredentials: Bool { enabled && credentialRedaction }
}
