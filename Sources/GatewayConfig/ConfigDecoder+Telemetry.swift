// Reads `telemetry:`: `metrics` (`enabled`, `readers`) and `profiles` (`enabled`,
// `retention_days`), each as a mapping or as a bare boolean.

import Yams

extension ConfigDecoder {
    mutating func telemetrySettings(_ node: Node, path: String) -> TelemetrySettings {
        var settings = TelemetrySettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.telemetry, path: path) else { return settings }
        for entry in entries {
            switch entry.key {
            case "metrics": settings.metrics = metricsSettings(entry.value, path: entry.path)
            case "profiles": settings.profiles = profilesSettings(entry.value, path: entry.path)
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
}
