// Reads `telemetry:`: `metrics` as a mapping (`enabled`, `readers`) or as a bare boolean.

import Yams

extension ConfigDecoder {
    mutating func telemetrySettings(_ node: Node, path: String) -> TelemetrySettings {
        var settings = TelemetrySettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.telemetry, path: path) else { return settings }
        for entry in entries where entry.key == "metrics" {
            settings.metrics = metricsSettings(entry.value, path: entry.path)
        }
        return settings
    }

    private mutating func metricsSettings(_ node: Node, path: String) -> TelemetrySettings.Metrics {
        var metrics = TelemetrySettings.Metrics()
        if case .scalar = node {
            if let enabled = bool(node, path: path) { metrics.enabled = enabled }
            return metrics
        }
        guard let entries = supportedEntries(of: node, section: ConfigSchema.telemetryMetrics, path: path) else { return metrics }
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
