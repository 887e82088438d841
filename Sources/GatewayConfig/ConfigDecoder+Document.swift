// Reads the whole document: the top-level sections, then the checks that span sections
// (names in meta_mcp must be backends), then the diagnostics in file order.

import Yams

extension ConfigDecoder {
    /// The config (nil if any error was found) from a composed document; `root` is nil for an empty file.
    mutating func decodeDocument(_ root: Node?, sourcePath: String?) -> GatewayConfig? {
        var config = GatewayConfig(sourcePath: sourcePath)
        if let root, let entries = supportedEntries(of: root, section: ConfigSchema.topLevel, path: "") {
            // backends first: references to them from other sections are checked against the full list.
            for entry in entries where entry.key == "backends" {
                config.backends = backendList(entry.value, path: entry.path)
            }
            for entry in entries {
                switch entry.key {
                case "server": config.server = serverSettings(entry.value, path: entry.path)
                case "meta_mcp": config.metaMCP = metaMCPSettings(entry.value, path: entry.path)
                case "capabilities": config.capabilities = capabilitiesSettings(entry.value, path: entry.path)
                case "security": config.security = securitySettings(entry.value, path: entry.path)
                case "auth": config.auth = authSettings(entry.value, path: entry.path)
                case "mtls": config.tls = tlsSettings(entry.value, path: entry.path)
                case "policies": config.policies = policiesSettings(entry.value, path: entry.path)
                case "failsafe": config.failsafe = failsafeSettings(entry.value, path: entry.path)
                case "cost_governance": config.costGovernance = costGovernance(entry.value, path: entry.path)
                case "routing_profiles": config.routingProfiles = routingProfiles(entry.value, path: entry.path)
                case "audit": config.audit = auditSettings(entry.value, path: entry.path)
                case "telemetry": config.telemetry = telemetrySettings(entry.value, path: entry.path)
                case "webhooks": config.webhooks = webhooksSettings(entry.value, path: entry.path)
                case "default_routing_profile":
                    if let name = string(entry.value, path: entry.path), !name.isEmpty {
                        config.defaultRoutingProfile = name
                        profileReferences.append((name, entry.value.mark, entry.path))
                    }
                default: break
                }
            }
        }
        checkBackendReferences()
        checkCapabilitiesName(config.capabilities)
        applyRequestTimeout(to: &config)
        checkExposure(config)
        checkRuleReferences(config)
        sortDiagnosticsByPosition()
        return hasErrors ? nil : config
    }

    /// The capability tools are listed under a server name, which must not be a backend's as well.
    private mutating func checkCapabilitiesName(_ settings: CapabilitiesSettings) {
        guard settings.enabled, declaredBackendNames.contains(settings.name) else { return }
        let place = capabilitiesNameMark ?? (nil, "capabilities.name")
        let advice = capabilitiesNameMark == nil ? "; set 'capabilities.name' to another name" : ""
        error("the capabilities server name '\(settings.name)' is also a backend name\(advice)",
              at: place.mark, path: place.path)
    }

    /// `server.request_timeout` is the deadline of a call to a backend without a `timeout` of
    /// its own; a backend's `timeout` (and its `tool_timeouts`) override it, longer or shorter.
    private mutating func applyRequestTimeout(to config: inout GatewayConfig) {
        for index in config.backends.indices where backendsOnRequestTimeout.contains(config.backends[index].name) {
            config.backends[index].timeout = config.server.requestTimeout
        }
    }

    /// A gateway reachable from the network with nobody authenticated is refused at load.
    private mutating func checkExposure(_ config: GatewayConfig) {
        guard let refusal = BindExposure.refusal(host: config.server.host, auth: config.auth, tls: config.tls) else { return }
        error(refusal, at: serverHostMark, path: "server.host")
    }

    private mutating func checkBackendReferences() {
        for reference in backendReferences where !declaredBackendNames.contains(reference.name) {
            let hint = closestSuggestion(for: reference.name, among: declaredBackendNames).map { "; did you mean '\($0)'?" }
            error("'\(reference.usedBy)' names '\(reference.name)', which is not a backend" + (hint ?? ""),
                  at: reference.mark, path: reference.path)
        }
    }
}
