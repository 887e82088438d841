// `mcp-gateway config export`: the effective configuration, that is a loaded GatewayConfig with
// every default filled in, written back as a complete gateway.yaml (or the same tree as JSON).
// The promise is a round trip: the YAML with secrets shown loads (ConfigLoader.parse, from the
// same path) into a GatewayConfig equal to the one exported. The tree is built section by
// section in ConfigTreeBuilder+*.swift, with gateway.yaml's key names in its order; YAMLEmitter
// and JSONPrettyWriter turn it into text.

import MCPProtocol

public enum ConfigExport {
    public enum Format: String, Sendable, CaseIterable {
        case yaml, json
    }

    /// What a secret is replaced with unless secrets are shown: a string, so the output still
    /// parses (it does not load back as the same configuration, on purpose).
    public static let maskedValue = "<masked>"

    /// The configuration as text: YAML with a header comment, or pretty-printed JSON.
    public static func render(_ config: GatewayConfig, format: Format, withSecrets: Bool) -> String {
        let tree = tree(config, withSecrets: withSecrets)
        switch format {
        case .yaml: return header(config, withSecrets: withSecrets) + YAMLEmitter.document(tree)
        case .json: return JSONPrettyWriter.document(.object(tree))
        }
    }

    /// The configuration as gateway.yaml writes it: one member per top-level section, values in
    /// the config's syntax (durations like "30s", sizes like "10MiB", `$` written `$$`).
    public static func tree(_ config: GatewayConfig, withSecrets: Bool) -> JSONObject {
        ConfigTreeBuilder(showSecrets: withSecrets).document(config)
    }

    /// Where the configuration came from, that it is the effective one, and what is masked.
    static func header(_ config: GatewayConfig, withSecrets: Bool) -> String {
        // A path is shown as YAML would write it: one holding a line break must not end the comment.
        let source = config.sourcePath.map(YAMLScalar.singleLine) ?? "none: the built-in default (no gateway.yaml was found)"
        var lines = [
            "Effective configuration of mcp-gateway, written by `mcp-gateway config export`.",
            "Source: \(source)",
            "Every key has the value in force: defaults filled in, ${VAR} references expanded (a literal $",
            "is written $$), relative paths resolved against the source file's directory.",
        ]
        if withSecrets {
            lines.append("Secrets are shown (--with-secrets): keep this output as private as the environment it came from.")
        } else {
            lines += [
                "Secrets are masked as \"\(maskedValue)\": backend env and headers values, telemetry.otlp.headers values,",
                "API keys (`key`; a `key_sha256` is no secret), auth.bearer_token and webhook secrets. --with-secrets shows them,",
                "and only that output loads back as this configuration.",
            ]
        }
        return lines.map { "# " + $0 }.joined(separator: "\n") + "\n\n"
    }
}

/// Builds the export tree; `showSecrets` false replaces every secret with `ConfigExport.maskedValue`.
struct ConfigTreeBuilder {
    let showSecrets: Bool

    /// The top-level sections in the order of ConfigSchema.topLevel. A backend the decoder left
    /// out (one with only `a2a_url`) is not in the configuration and cannot be written: a
    /// `warm_start` or `surfaced_tools` entry naming it loads with the original, not with the export.
    func document(_ config: GatewayConfig) -> JSONObject {
        JSONObject([
            ("server", server(config.server)),
            ("meta_mcp", metaMCP(config.metaMCP)),
            ("backends", .object(JSONObject(config.backends.map { ($0.name, backend($0)) }))),
            ("capabilities", capabilities(config.capabilities)),
            ("security", security(config.security)),
            ("auth", auth(config.auth)),
            ("mtls", mtls(config.tls)),
            ("policies", policies(config.policies)),
            ("routing_profiles", routingProfiles(config.routingProfiles)),
            ("default_routing_profile", optional(config.defaultRoutingProfile, text)),
            ("audit", optional(config.audit, audit)),
            ("failsafe", failsafe(config.failsafe)),
            ("cost_governance", costGovernance(config.costGovernance)),
            ("telemetry", telemetry(config.telemetry)),
            ("webhooks", webhooks(config.webhooks)),
        ])
    }
}
