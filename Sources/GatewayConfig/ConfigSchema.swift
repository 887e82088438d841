// The keys valid in each section of gateway.yaml, the reference product's keys we accept with a
// warning, and its security keys we refuse: a security setting that is not implemented must stop
// the load (fail closed), never leave the gateway less protected than its config says.
// One list per section feeds both the unknown-key check and its did-you-mean suggestions.

/// The keys one mapping of the config may contain.
struct ConfigSection: Sendable {
    /// Keys this gateway implements.
    let supportedKeys: [String]
    /// Keys of the reference product not implemented yet: accepted, ignored, and warned about.
    let unsupportedKeys: [String]
    /// Warnings more specific than the generic "not supported yet" for some unsupported keys.
    let unsupportedKeyNotes: [String: String]
    /// Security keys of the reference not implemented yet: an error, unless the value is a mapping
    /// that switches the feature off (`enabled: false`), which asks for nothing.
    let refusedKeys: [String]

    init(supported: [String], unsupported: [String] = [], refused: [String] = [], notes: [String: String] = [:]) {
        supportedKeys = supported
        unsupportedKeys = unsupported
        refusedKeys = refused
        unsupportedKeyNotes = notes
    }

    var allKeys: [String] { supportedKeys + unsupportedKeys + refusedKeys }

    func refusal(forUnimplemented key: String) -> String {
        "'\(key)' is a security setting this gateway does not implement yet: it is refused rather than ignored, "
            + "so the gateway never runs less protected than its configuration says (remove it, or set 'enabled: false')"
    }

    func warning(forUnsupported key: String) -> String {
        unsupportedKeyNotes[key] ?? "'\(key)' is not supported yet and is ignored"
    }
}

/// Every section of gateway.yaml.
enum ConfigSchema {
    static let topLevel = ConfigSection(
        supported: ["server", "meta_mcp", "backends", "capabilities", "security", "auth", "mtls",
                    "policies", "routing_profiles", "default_routing_profile", "audit", "failsafe", "cost_governance",
                    "telemetry", "webhooks"],
        unsupported: [
            "env_files", "streaming", "cache", "playbooks",
            "code_mode", "runtime", "marketplace", "control_plane",
            // Documented by the reference's example file although its own parser ignores them.
            "config_export", "discovery", "semantic_search", "tool_profiles",
        ],
        refused: ["key_server", "agent_auth"],
        notes: [
            "env_files": "'env_files' is not supported yet and is ignored; variables from those files are not loaded, so set them in the environment",
        ]
    )

    static let server = ConfigSection(
        supported: ["host", "port", "request_timeout", "shutdown_timeout", "max_body_size", "allowed_origins", "limits"],
        unsupported: ["ws_port", "public_url"]
    )

    /// `auth:`.
    static let auth = ConfigSection(
        supported: ["allow_unauthenticated", "enabled", "bearer_token", "public_paths", "api_keys", "stdio_principal", "oauth"],
        refused: ["client_circuit_breaker", "single_user"])

    /// `auth.oauth`: the issuer whose JWTs are accepted (the gateway as an OAuth 2.1 resource server).
    static let oauth = ConfigSection(supported: [
        "enabled", "issuer", "audience", "jwks_url", "required_scopes", "principal_claim", "groups_claim",
        "admin_groups", "leeway", "cache_size", "refetch_interval",
    ])

    /// `mtls:`: TLS on the front end and client certificates as principals. Certificate
    /// revocation lists and the reference's per-certificate tool policies are not implemented:
    /// refused, so no revoked certificate is accepted behind a config that says otherwise.
    static let mtls = ConfigSection(
        supported: ["enabled", "server_cert", "server_key", "ca_cert", "require_client_cert",
                    "client_principal", "admin_principals", "reload_interval"],
        refused: ["crl_path", "policies"])

    /// What a principal may do: an API key's scopes and limits, and a `policies` entry's.
    static let principalRuleKeys = [
        "backends", "allowed_tools", "denied_tools", "allowed_resources", "denied_resources",
        "allowed_prompts", "denied_prompts", "routing_profile", "rate_limit", "tool_rate_limits", "max_concurrent",
    ]

    /// One `auth.api_keys` entry: the key and its rules.
    static let apiKey = ConfigSection(supported: ["name", "key", "key_sha256", "admin"] + principalRuleKeys)

    /// One entry of `policies.principals`, `policies.groups` or `policies.scopes`.
    static let principalRules = ConfigSection(supported: principalRuleKeys)

    /// `policies:`.
    static let policies = ConfigSection(supported: ["principals", "groups", "scopes"])

    /// One entry of `tool_rate_limits`.
    static let toolRateLimit = ConfigSection(supported: ["tool", "rate", "burst"])

    /// `routing_profiles.NAME`, with the reference's key names.
    static let routingProfile = ConfigSection(supported: [
        "description", "allow_backends", "deny_backends", "allow_tools", "deny_tools",
        "allow_resources", "deny_resources", "allow_prompts", "deny_prompts",
    ])

    /// `security.tool_policy`, the reference's keys.
    static let toolPolicy = ConfigSection(supported: ["enabled", "default_action", "allow", "deny", "use_default_deny", "log_denied"])

    static let serverLimits = ConfigSection(supported: [
        "max_sessions", "session_idle_timeout", "max_batch_size", "journal_events", "journal_bytes",
        "outbound_buffer", "header_timeout", "idle_timeout", "max_name_length",
    ])

    static let metaMCP = ConfigSection(
        supported: ["enabled", "cache_ttl", "discovery_wait", "surfaced_tools", "warm_start", "search"],
        unsupported: ["cache_tools", "projection_mode"]
    )

    static let capabilities = ConfigSection(
        supported: ["enabled", "name", "directories", "starter_pack", "starter_pack_allow_env"])

    /// One entry of `capabilities.directories` written as a mapping.
    static let capabilityDirectory = ConfigSection(supported: ["path", "allow_env", "allow_files"])

    static let security = ConfigSection(
        supported: ["ssrf_allow", "tool_policy", "firewall", "pinning"],
        // Ignoring these makes nothing weaker: SSRF checks are always on, and backends are not trusted.
        unsupported: ["ssrf_protection", "trust_configured_backends"],
        refused: [
            "sanitize_input",
            "message_signing", "agent_identity", "transparency_log", "response_inspection", "response_contract",
            "identity_grants", "context_integrity", "remote_server_signing", "provenance_stamping", "claim_capture",
        ],
        notes: [
            "ssrf_protection": "'ssrf_protection' is ignored: outbound capability requests are always checked; allow addresses with 'security.ssrf_allow'",
        ]
    )

    /// `security.firewall`: only credential redaction is implemented. The reference's other
    /// firewall features are refused when they ask for something (true, a value, a non-empty
    /// list, a mapping not switched off); see ConfigDecoder+Firewall. `anomaly_threshold` only
    /// tunes the refused anomaly detection: a number is accepted with a warning.
    static let firewall = ConfigSection(
        supported: ["enabled", "credential_redaction"],
        unsupported: ["anomaly_threshold"],
        refused: ["scan_requests", "scan_responses", "prompt_injection_detection", "anomaly_detection",
                  "anomaly_block_threshold", "audit_log", "memory_poisoning", "rules"],
        notes: [
            "anomaly_threshold": "'anomaly_threshold' is ignored: anomaly detection is not implemented (and 'anomaly_detection: true' is refused)",
        ]
    )

    static let surfacedTool = ConfigSection(supported: ["server", "tool"])

    /// `audit:`: the audit trail (AuditSettings).
    static let audit = ConfigSection(supported: ["path", "max_size", "keep", "include_arguments"])

    /// `telemetry:`.
    static let telemetry = ConfigSection(supported: ["metrics", "profiles", "otlp", "dashboard"])

    /// `telemetry.otlp`.
    static let telemetryOTLP = ConfigSection(supported: ["endpoint", "protocol", "headers", "sample_ratio", "service_name"])

    /// `telemetry.metrics` written as a mapping.
    static let telemetryMetrics = ConfigSection(supported: ["enabled", "readers"])

    /// `telemetry.profiles` written as a mapping.
    static let telemetryProfiles = ConfigSection(supported: ["enabled", "retention_days"])

    static let backend = ConfigSection(
        supported: [
            "command", "http_url", "transport", "streamable_http", "description", "env", "headers", "cwd",
            "timeout", "enabled", "protocol_version", "rate_limit", "max_concurrent",
            "tool_timeouts", "idempotent_tools", "trust_annotations", "stop_when_idle_for", "roots",
            "tools", "rename", "descriptions", "arguments", "max_result_bytes",
        ],
        unsupported: [
            "oauth", "secrets", "passthrough", "runtime_profile", "identity_propagation", "a2a_url",
            "a2a_agent_card_path", "idle_timeout",
        ],
        notes: [
            "a2a_url": "'a2a_url' (A2A agents) is not supported yet and is ignored; a backend with only 'a2a_url' is left out",
            "idle_timeout": "'idle_timeout' was retired by the reference gateway and is ignored",
        ]
    )

    /// `backends.NAME.tools`: which of the backend's tools are exposed at all.
    static let backendToolFilter = ConfigSection(supported: ["allow", "deny"])

    /// One entry of `backends.NAME.descriptions` written as a mapping.
    static let descriptionChange = ConfigSection(supported: ["replace", "append"])

    /// One entry of `backends.NAME.arguments`.
    static let argumentRule = ConfigSection(supported: ["defaults", "fixed", "hide"])

    /// `webhooks:`.
    static let webhooks = ConfigSection(
        supported: ["enabled", "base_path", "require_signature", "rate_limit", "max_body_size", "keep", "replay_window", "endpoints"])

    /// `webhooks.endpoints.ID`.
    static let webhookEndpoint = ConfigSection(
        supported: ["description", "secret", "signature_header", "timestamp_header", "event_header"])

    /// `failsafe:`.
    static let failsafe = ConfigSection(supported: ["rate_limit", "concurrency", "circuit_breaker", "retry", "health_check"])

    /// `failsafe.retry`: the reference's keys and a retry budget.
    static let retry = ConfigSection(
        supported: ["enabled", "max_attempts", "initial_backoff", "max_backoff", "multiplier", "budget"])

    /// `failsafe.health_check`: the reference's keys and how many missed pings restart a backend.
    static let healthCheck = ConfigSection(supported: ["enabled", "interval", "timeout", "failure_threshold"])

    /// `failsafe.circuit_breaker`: the reference's keys and an error rate over a window.
    static let circuitBreaker = ConfigSection(
        supported: ["enabled", "failure_threshold", "success_threshold", "reset_timeout", "error_rate", "window", "minimum_calls"])

    /// `failsafe.rate_limit`, the reference's keys.
    static let failsafeRateLimit = ConfigSection(supported: ["enabled", "requests_per_second", "burst_size"])

    /// `backends.NAME.rate_limit`: the backend's own bucket (`enabled: false` exempts it).
    static let backendRateLimit = ConfigSection(supported: ["enabled", "requests_per_second", "burst_size"])

    /// `failsafe.concurrency`.
    static let concurrency = ConfigSection(supported: ["max_concurrent", "queue", "queue_timeout"])

    /// `cost_governance:`; `alternatives` (cheaper-tool suggestions) is advice, not a control.
    static let costGovernance = ConfigSection(
        supported: ["enabled", "currency", "default_cost", "tool_costs", "budgets", "alerts"],
        unsupported: ["alternatives"])

    /// `cost_governance.budgets`.
    static let budgets = ConfigSection(supported: ["daily", "monthly", "per_tool", "per_key"])

    /// One entry of `budgets.per_tool` or `budgets.per_key`.
    static let budget = ConfigSection(supported: ["daily", "monthly"])

    /// One entry of `cost_governance.alerts`.
    static let costAlert = ConfigSection(supported: ["at_percent", "action"])

    /// Values of `backends.NAME.transport`.
    static let transportValues = ["auto", "streamable_http", "sse", "websocket"]
}
