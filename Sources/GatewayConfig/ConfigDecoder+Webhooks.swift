// Reads `webhooks:` (WebhooksSettings): the section's limits and one entry per endpoint under
// `endpoints`, keyed by its id. An endpoint without a secret is an error unless the section says
// `require_signature: false`, so a public URL never takes unsigned events by accident.

import Yams

extension ConfigDecoder {
    mutating func webhooksSettings(_ node: Node, path: String) -> WebhooksSettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.webhooks, path: path) else { return nil }
        var settings = WebhooksSettings()
        var endpointsEntry: MappingEntry?
        for entry in entries {
            let (value, entryPath) = (entry.value, entry.path)
            switch entry.key {
            case "enabled":
                if bool(value, path: entryPath) == false { return nil }
            case "base_path":
                guard let text = string(value, path: entryPath)?.trimmingBlanks() else { break }
                let reserved = ["/mcp", "/ws", "/sse", "/messages", "/health", "/ready", "/metrics", "/ui", "/.well-known"]
                if !text.hasPrefix("/") || text.count < 2 || text.hasSuffix("/") || text.contains("?") || text.contains("#") {
                    error("expected a path like '/webhooks' for '\(entryPath)', found '\(text)'", at: value.mark, path: entryPath)
                } else if let taken = reserved.first(where: { text == $0 || text.hasPrefix($0 + "/") }) {
                    error("'\(entryPath)' is under '\(taken)', which the gateway serves itself", at: value.mark, path: entryPath)
                } else {
                    settings.basePath = text
                }
            case "require_signature":
                if let flag = bool(value, path: entryPath) { settings.requireSignature = flag }
            case "rate_limit":
                if let n = count(value, path: entryPath, in: 1...100_000) { settings.ratePerMinute = n }
            case "max_body_size":
                guard let bytes = byteSize(value, path: entryPath) else { break }
                if bytes > 64 * 1024 * 1024 {
                    error("expected at most 64MiB for '\(entryPath)', found \(bytes) bytes", at: value.mark, path: entryPath)
                } else {
                    settings.maxBodySize = bytes
                }
            case "keep":
                if let n = count(value, path: entryPath, in: 1...10_000) { settings.keep = n }
            case "replay_window":
                if let window = boundedDuration(value, path: entryPath, in: .seconds(1)...(.seconds(86_400)), shown: "1s to 24h") {
                    settings.replayWindow = window
                }
            case "endpoints":
                endpointsEntry = entry
            default:
                break
            }
        }
        if let endpointsEntry {
            settings.endpoints = webhookEndpoints(endpointsEntry.value, path: endpointsEntry.path,
                                                  requireSignature: settings.requireSignature)
        }
        if declaredBackendNames.contains(WebhooksSettings.serverName) {
            error("a backend is named '\(WebhooksSettings.serverName)', the name webhook resources go by in access rules; rename the backend",
                  at: node.mark, path: path)
        }
        return settings
    }

    private mutating func webhookEndpoints(_ node: Node, path: String, requireSignature: Bool) -> [WebhookEndpointSettings] {
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of endpoint ids to settings for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return []
        }
        var endpoints: [WebhookEndpointSettings] = []
        for (key, value) in pairs {
            let entryPath = configPath(path, key.string)
            if let complaint = ConfigNameRules.backendNameProblem(key.string) {
                error(complaint.replacingBackendWithEndpoint, at: key.mark, path: entryPath)
                continue
            }
            guard let entries = supportedEntries(of: value, section: ConfigSchema.webhookEndpoint, path: entryPath) else { continue }
            var endpoint = WebhookEndpointSettings(id: key.string)
            for entry in entries {
                switch entry.key {
                case "description": endpoint.description = string(entry.value, path: entry.path) ?? ""
                case "secret":
                    if let secret = string(entry.value, path: entry.path) {
                        if secret.utf8.count < 16 {
                            error("'\(entry.path)' is shorter than 16 bytes; use a long random secret (the sender signs with it)",
                                  at: entry.value.mark, path: entry.path)
                        } else {
                            endpoint.secret = secret
                        }
                    }
                case "signature_header", "timestamp_header", "event_header":
                    guard let header = string(entry.value, path: entry.path)?.trimmingBlanks() else { continue }
                    if let complaint = ConfigNameRules.headerNameProblem(header) {
                        error(complaint, at: entry.value.mark, path: entry.path)
                    } else if entry.key == "signature_header" {
                        endpoint.signatureHeader = header
                    } else if entry.key == "timestamp_header" {
                        endpoint.timestampHeader = header
                    } else {
                        endpoint.eventHeader = header
                    }
                default: break
                }
            }
            if endpoint.secret == nil, requireSignature, !entries.contains(where: { $0.key == "secret" }) {
                error("webhook endpoint '\(key.string)' needs a 'secret' to check signatures (or set 'webhooks.require_signature: false' to take unsigned posts)",
                      at: key.mark, path: entryPath)
            }
            endpoints.append(endpoint)
        }
        return endpoints
    }
}

private extension String {
    var replacingBackendWithEndpoint: String {
        "invalid webhook endpoint id: use only letters, digits, '_' and '-' (the id is a path segment and a resource name)"
    }
}
