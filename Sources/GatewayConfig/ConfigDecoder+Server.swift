// Reads the `server:` section.

import Yams

extension ConfigDecoder {
    mutating func serverSettings(_ node: Node, path: String) -> ServerSettings {
        var settings = ServerSettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.server, path: path) else { return settings }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "host":
                serverHostMark = value.mark
                if let host = string(value, path: entry.path) {
                    if host.trimmingBlanks().isEmpty {
                        error("expected a host name or address for '\(entry.path)', found an empty string",
                              at: value.mark, path: entry.path)
                    } else {
                        settings.host = host
                    }
                }
            case "port":
                if let port = port(value, path: entry.path) { settings.port = port }
            case "request_timeout":
                if let timeout = duration(value, path: entry.path, allowZero: false) { settings.requestTimeout = timeout }
            case "shutdown_timeout":
                if let timeout = duration(value, path: entry.path, allowZero: true) { settings.shutdownTimeout = timeout }
            case "max_body_size":
                if let size = byteSize(value, path: entry.path) {
                    if size > ServerSettings.maximumBodySize {
                        error("'\(entry.path)' is \(size) bytes; at most \(ServerSettings.maximumBodySize) (1GiB) is accepted",
                              at: value.mark, path: entry.path)
                    } else {
                        settings.maxBodySize = size
                    }
                }
            case "allowed_origins":
                if let origins = stringList(value, path: entry.path) { settings.allowedOrigins = origins.map(\.value) }
            case "limits":
                settings.limits = serverLimits(value, path: entry.path)
            default:
                break
            }
        }
        return settings
    }
}
