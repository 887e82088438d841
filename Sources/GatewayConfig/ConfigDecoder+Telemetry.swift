// Reads `telemetry:`: `metrics` (`enabled`, `readers`) and `profiles` (`enabled`,
// `retention_days`), each as a mapping or as a bare boolean, and `otlp` (`endpoint`,
// `protocol`, `headers`, `sample_ratio`, `service_name`), and `dashboard` (a boolean).

import Foundation
import Yams

extension ConfigDecoder {
    mutating func telemetrySettings(_ node: Node, path: String) -> TelemetrySettings {
        var settings = TelemetrySettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.telemetry, path: path) else { return settings }
        for entry in entries {
            switch entry.key {
            case "metrics": settings.metrics = metricsSettings(entry.value, path: entry.path)
            case "profiles": settings.profiles = profilesSettings(entry.value, path: entry.path)
            case "otlp": settings.otlp = otlpSettings(entry.value, path: entry.path)
            case "dashboard": if let on = bool(entry.value, path: entry.path) { settings.dashboard = on }
            default: break
            }
        }
        return settings
    }

    /// A feature written as `true`/`false` (sets `enabled`, nil returned) or as a mapping (its
    /// entries returned for the caller to read).
    private mutating func switchOrEntries(_ node: Node, path: String, section: ConfigSection,
                                          enabled: inout Bool) -> [MappingEntry]? {
        if case .scalar = node {
            if let value = bool(node, path: path) { enabled = value }
            return nil
        }
        return supportedEntries(of: node, section: section, path: path)
    }

    private mutating func profilesSettings(_ node: Node, path: String) -> TelemetrySettings.Profiles {
        var profiles = TelemetrySettings.Profiles()
        guard let entries = switchOrEntries(node, path: path, section: ConfigSchema.telemetryProfiles,
                                            enabled: &profiles.enabled) else { return profiles }
        for entry in entries {
            switch entry.key {
            case "enabled":
                if let enabled = bool(entry.value, path: entry.path) { profiles.enabled = enabled }
            case "retention_days":
                if let days = count(entry.value, path: entry.path, in: 1...3650) { profiles.retentionDays = days }
            default:
                break
            }
        }
        return profiles
    }

    private mutating func metricsSettings(_ node: Node, path: String) -> TelemetrySettings.Metrics {
        var metrics = TelemetrySettings.Metrics()
        guard let entries = switchOrEntries(node, path: path, section: ConfigSchema.telemetryMetrics,
                                            enabled: &metrics.enabled) else { return metrics }
        for entry in entries {
            switch entry.key {
            case "enabled":
                if let enabled = bool(entry.value, path: entry.path) { metrics.enabled = enabled }
            case "readers":
                guard let names = stringList(entry.value, path: entry.path) else { break }
                for name in names where name.value.trimmingBlanks().isEmpty {
                    error("expected principal names in '\(entry.path)', found an empty string", at: name.mark, path: name.path)
                }
                metrics.readers = names.map(\.value).filter { !$0.trimmingBlanks().isEmpty }
            default:
                break
            }
        }
        return metrics
    }

    /// nil when the section names no endpoint (then every other key is an error: a header or
    /// ratio without an endpoint would configure nothing).
    private mutating func otlpSettings(_ node: Node, path: String) -> TelemetrySettings.OTLP? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.telemetryOTLP, path: path) else { return nil }
        var endpoint: String?
        var endpointNode: Node?
        var otlp = TelemetrySettings.OTLP(endpoint: "")
        for entry in entries {
            switch entry.key {
            case "endpoint":
                guard let text = string(entry.value, path: entry.path) else { break }
                if Self.isCollectorURL(text) {
                    endpoint = text
                    endpointNode = entry.value
                } else {
                    reportMismatch(expected: "an http:// or https:// URL of an OpenTelemetry collector (like http://127.0.0.1:4318)",
                                   found: text, node: entry.value, path: entry.path)
                }
            case "protocol":
                guard let text = string(entry.value, path: entry.path) else { break }
                switch text.trimmingBlanks().lowercased() {
                case "http", "http/protobuf":
                    otlp.exportProtocol = .http
                case "grpc":
                    otlp.exportProtocol = .grpc
                default:
                    reportMismatch(expected: "'http' or 'grpc'", found: text, node: entry.value, path: entry.path)
                }
            case "headers":
                if let headers = stringMap(entry.value, path: entry.path, validateKey: ConfigNameRules.headerNameProblem,
                                           validateValue: ConfigNameRules.headerValueProblem) {
                    otlp.headers = headers
                }
            case "sample_ratio":
                if let ratio = nonNegativeNumber(entry.value, path: entry.path, max: 1) { otlp.sampleRatio = ratio }
            case "service_name":
                if let name = string(entry.value, path: entry.path) {
                    if name.trimmingBlanks().isEmpty {
                        error("expected a service name for '\(entry.path)', found an empty string", at: entry.value.mark, path: entry.path)
                    } else {
                        otlp.serviceName = name
                    }
                }
            default:
                break
            }
        }
        guard let endpoint else {
            if !entries.contains(where: { $0.key == "endpoint" }) {
                error("'\(path)' needs 'endpoint', the collector's URL (like http://127.0.0.1:4318)", at: node.mark, path: path)
            }
            return nil
        }
        if otlp.exportProtocol == .grpc, !Self.isGRPCAddress(endpoint), let value = endpointNode {
            // The gRPC exporter dials host and port as given: no path, no default port.
            error("'\(path).endpoint': with protocol 'grpc' the endpoint is the collector's gRPC address with its port and no path "
                  + "(like http://127.0.0.1:4317, or https:// for TLS), found '\(endpoint)'", at: value.mark, path: "\(path).endpoint")
            return nil
        }
        otlp.endpoint = endpoint
        return otlp
    }

    /// What the gRPC exporter can dial: an http(s) URL with a host, an explicit port and no path.
    static func isGRPCAddress(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), url.port != nil else { return false }
        return url.path.isEmpty || url.path == "/"
    }

    /// An http(s) URL with a host and neither query nor fragment (the path is a base the
    /// signal's `/v1/traces` is appended to).
    static func isCollectorURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil else { return false }
        return !text.contains(where: { $0 == " " || $0.isNewline })
    }
}
