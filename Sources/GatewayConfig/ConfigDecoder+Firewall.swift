// Reads `security.firewall`. `enabled` and `credential_redaction` are implemented. The
// reference's other firewall keys are security features this gateway does not have: a value
// that asks for one (true, a path, a number, a non-empty list, a mapping not switched off) is
// an error, so the gateway never runs less protected than its file says; a value that asks
// for nothing (false, null, '', [], a mapping with `enabled: false`) loads. With
// `enabled: false` the whole section asks for nothing.

import Yams

extension ConfigDecoder {
    mutating func firewall(_ node: Node, path: String) -> FirewallSettings {
        var settings = FirewallSettings()
        let schema = ConfigSchema.firewall
        // The refused keys are read here rather than by supportedEntries: a scalar `false`
        // asks for nothing, which its generic check (a mapping switched off) does not know.
        let reading = ConfigSection(supported: schema.supportedKeys + schema.refusedKeys, unsupported: schema.unsupportedKeys,
                                    notes: schema.unsupportedKeyNotes)
        guard let entries = supportedEntries(of: node, section: reading, path: path) else { return settings }
        let switchedOff = Self.isSwitchedOff(node)
        for entry in entries {
            switch entry.key {
            case "enabled": settings.enabled = bool(entry.value, path: entry.path) ?? true
            case "credential_redaction": settings.credentialRedaction = bool(entry.value, path: entry.path) ?? true
            default:
                if !switchedOff && !asksForNothing(entry.value) {
                    error("'\(entry.path)' asks for a firewall feature this gateway does not implement (only "
                            + "'credential_redaction' is): it is refused rather than ignored, so the gateway never runs "
                            + "less protected than its configuration says (remove it, or set it to false)",
                          at: entry.keyMark, path: entry.path)
                }
            }
        }
        return settings
    }

    /// False, '', [] and `{enabled: false}` switch a feature off; null never reaches here.
    private func asksForNothing(_ node: Node) -> Bool {
        switch node {
        case .scalar(let scalar):
            let (value, problems) = expander.expand(scalar.string)
            guard problems.isEmpty else { return false }
            let trimmed = value.trimmingBlanks()
            return trimmed.isEmpty || Self.booleanWord(trimmed) == false || trimmed == "null" || trimmed == "~"
        case .sequence(let sequence): return sequence.isEmpty
        case .mapping: return Self.isSwitchedOff(node)
        default: return false
        }
    }
}
