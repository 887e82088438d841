// The export tree's `capabilities:` and `security:` sections (SSRF exceptions, the tool policy,
// the firewall, pinning).

import MCPProtocol

extension ConfigTreeBuilder {
    func capabilities(_ settings: CapabilitiesSettings) -> JSONValue {
        // Always the mapping form of a directory; its paths are absolute after loading.
        let directories = settings.directories.map { directory in
            JSONValue.object(JSONObject([
                ("path", text(directory.path)),
                ("allow_env", texts(directory.allowEnv)),
                ("allow_files", texts(directory.allowFiles)),
            ]))
        }
        return .object(JSONObject([
            ("enabled", .bool(settings.enabled)),
            ("name", text(settings.name)),
            ("directories", .array(directories)),
            ("starter_pack", .bool(settings.starterPack)),
            ("starter_pack_allow_env", texts(settings.starterPackAllowEnv)),
        ]))
    }

    func security(_ settings: SecuritySettings) -> JSONValue {
        .object(JSONObject([
            ("ssrf_allow", .array(settings.ssrfAllow.map { .string($0.description) })),
            ("tool_policy", settings.toolPolicy.map(toolPolicy) ?? Self.switchedOff),
            ("firewall", .object(JSONObject([
                ("enabled", .bool(settings.firewall.enabled)),
                ("credential_redaction", .bool(settings.firewall.credentialRedaction)),
            ]))),
            ("pinning", .string(settings.pinning.rawValue)),
        ]))
    }

    private func toolPolicy(_ policy: ToolPolicySettings) -> JSONValue {
        .object(JSONObject([
            ("enabled", .bool(policy.enabled)),
            ("default_action", .string(policy.defaultAction.rawValue)),
            ("allow", texts(policy.allow)),
            ("deny", texts(policy.deny)),
            ("use_default_deny", .bool(policy.useDefaultDeny)),
            ("log_denied", .bool(policy.logDenied)),
        ]))
    }
}
