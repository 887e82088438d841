// Reads the `capabilities:` and `security:` sections. Capability directories are resolved against the
// config file's directory, like `backends.*.cwd`, so the file means the same thing from anywhere.

import Yams

extension ConfigDecoder {
    mutating func capabilitiesSettings(_ node: Node, path: String) -> CapabilitiesSettings {
        var settings = CapabilitiesSettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.capabilities, path: path) else {
            return settings
        }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "enabled":
                if let enabled = bool(value, path: entry.path) { settings.enabled = enabled }
            case "starter_pack":
                if let starterPack = bool(value, path: entry.path) { settings.starterPack = starterPack }
            case "name":
                guard let name = string(value, path: entry.path) else { break }
                if ConfigNameRules.backendNameProblem(name) != nil {
                    error("invalid name '\(name)' for '\(entry.path)': use only letters, digits, '_' and '-' (it is the server name of the capability tools)",
                          at: value.mark, path: entry.path)
                } else {
                    settings.name = name
                    capabilitiesNameMark = (value.mark, entry.path)
                }
            case "directories":
                guard let directories = stringList(value, path: entry.path) else { break }
                var resolved: [String] = []
                for directory in directories {
                    if directory.value.trimmingBlanks().isEmpty {
                        error("expected a directory path for '\(directory.path)', found an empty string",
                              at: directory.mark, path: directory.path)
                    } else {
                        resolved.append(resolvedConfigRelativePath(directory.value))
                    }
                }
                settings.directories = resolved
            default:
                break
            }
        }
        return settings
    }

    mutating func securitySettings(_ node: Node, path: String) -> SecuritySettings {
        var settings = SecuritySettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.security, path: path) else {
            return settings
        }
        for entry in entries where entry.key == "ssrf_allow" {
            guard let items = stringList(entry.value, path: entry.path) else { continue }
            for item in items {
                if let network = IPNetwork(item.value.trimmingBlanks()) {
                    settings.ssrfAllow.append(network)
                } else {
                    error("expected an IP address or CIDR range like '127.0.0.1', '10.0.0.0/8' or 'fd00::/8' for '\(item.path)', found '\(item.value)' (host names are not accepted: the check is on resolved addresses)",
                          at: item.mark, path: item.path)
                }
            }
        }
        return settings
    }

    /// `~` means $HOME; a relative path is taken from the config file's directory.
    func resolvedConfigRelativePath(_ written: String) -> String {
        var path = written
        if let home = expander.environment["HOME"], !home.isEmpty, path == "~" || path.hasPrefix("~/") {
            path = home + path.dropFirst()
        }
        guard !path.hasPrefix("/"), let slash = file.lastIndex(of: "/") else { return path }
        let directory = file[..<slash]
        return (directory.isEmpty ? "" : String(directory)) + "/" + path
    }
}
