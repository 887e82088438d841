// The validated gateway configuration: what the rest of the gateway reads after a gateway.yaml has loaded.
// Produced by `ConfigLoader`; compared whole by hot reload to compute what changed.

/// The whole gateway configuration, after validation and `${VAR}` expansion.
public struct GatewayConfig: Sendable, Equatable {
    public var server: ServerSettings
    public var metaMCP: MetaMCPSettings
    /// Backends in the order the file lists them.
    public var backends: [BackendSettings]
    /// REST/GraphQL capability files served as tools.
    public var capabilities: CapabilitiesSettings
    public var security: SecuritySettings
    public var auth: AuthSettings
    /// TLS on the front end (`mtls:`); nil: plain HTTP.
    public var tls: TLSSettings?
    /// `policies:` rules by principal, OAuth group and scope.
    public var policies: PoliciesSettings
    /// `routing_profiles:` by name.
    public var routingProfiles: [String: RoutingProfileSettings]
    /// `default_routing_profile`: the profile of a principal that selects none; nil: none.
    public var defaultRoutingProfile: String?
    /// `audit:`: the audit trail; nil: none (and nothing recorded per call).
    public var audit: AuditSettings?
    /// `failsafe:` limits on calls to backends.
    public var failsafe: FailsafeSettings
    /// `cost_governance:`; nil: off.
    public var costGovernance: CostGovernanceSettings?
    /// `telemetry:` (the `/metrics` endpoint).
    public var telemetry: TelemetrySettings
    /// `webhooks:`; nil: no endpoint.
    public var webhooks: WebhooksSettings?
    /// The file this configuration came from; nil for `builtinDefault`.
    public var sourcePath: String?

    public init(
        server: ServerSettings = ServerSettings(),
        metaMCP: MetaMCPSettings = MetaMCPSettings(),
        backends: [BackendSettings] = [],
        capabilities: CapabilitiesSettings = CapabilitiesSettings(),
        security: SecuritySettings = SecuritySettings(),
        auth: AuthSettings = AuthSettings(),
        tls: TLSSettings? = nil,
        policies: PoliciesSettings = PoliciesSettings(),
        routingProfiles: [String: RoutingProfileSettings] = [:],
        defaultRoutingProfile: String? = nil,
        audit: AuditSettings? = nil,
        failsafe: FailsafeSettings = FailsafeSettings(),
        costGovernance: CostGovernanceSettings? = nil,
        telemetry: TelemetrySettings = TelemetrySettings(),
        webhooks: WebhooksSettings? = nil,
        sourcePath: String? = nil
    ) {
        self.audit = audit
        self.policies = policies
        self.failsafe = failsafe
        self.costGovernance = costGovernance
        self.telemetry = telemetry
        self.webhooks = webhooks
        self.routingProfiles = routingProfiles
        self.defaultRoutingProfile = defaultRoutingProfile
        self.server = server
        self.metaMCP = metaMCP
        self.backends = backends
        self.capabilities = capabilities
        self.security = security
        self.auth = auth
        self.tls = tls
        self.sourcePath = sourcePath
    }

    /// Used when no gateway.yaml is found: 127.0.0.1:39400, meta-tools on, no backends.
    public static let builtinDefault = GatewayConfig()

    /// The backend with this name, if any.
    public func backend(named name: String) -> BackendSettings? {
        backends.first { $0.name == name }
    }
}
