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
                if let directories = capabilityDirectories(value, path: entry.path) { settings.directories = directories }
            case "starter_pack_allow_env":
                if let names = environmentNames(value, path: entry.path) { settings.starterPackAllowEnv = names }
            default:
                break
            }
        }
        return settings
    }

    /// Each entry a path (its files read no secrets) or `{path, allow_env, allow_files}`.
    private mutating func capabilityDirectories(_ node: Node, path: String) -> [CapabilityDirectory]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list of directories (a path, or {path, allow_env, allow_files}) for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return nil
        }
        var directories: [CapabilityDirectory] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            if case .mapping = item {
                if let directory = capabilityDirectory(item, path: itemPath) { directories.append(directory) }
            } else if let written = nonEmptyPath(item, path: itemPath) {
                directories.append(CapabilityDirectory(path: resolvedConfigRelativePath(written)))
            }
        }
        return directories
    }

    private mutating func capabilityDirectory(_ node: Node, path: String) -> CapabilityDirectory? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.capabilityDirectory, path: path) else {
            return nil
        }
        var directory: String?
        var allowEnv: [String] = []
        var allowFiles: [String] = []
        for entry in entries {
            switch entry.key {
            case "path":
                directory = nonEmptyPath(entry.value, path: entry.path).map(resolvedConfigRelativePath)
            case "allow_env":
                allowEnv = environmentNames(entry.value, path: entry.path) ?? []
            case "allow_files":
                for item in stringList(entry.value, path: entry.path) ?? [] {
                    if item.value.trimmingBlanks().isEmpty {
                        error("expected a file path for '\(item.path)', found an empty string", at: item.mark, path: item.path)
                    } else {
                        // Resolved like the directory; a trailing `/` (a whole directory) is kept.
                        let resolved = resolvedConfigRelativePath(item.value)
                        allowFiles.append(item.value.hasSuffix("/") && !resolved.hasSuffix("/") ? resolved + "/" : resolved)
                    }
                }
            default:
                break
            }
        }
        guard entries.contains(where: { $0.key == "path" }) else {
            error("'\(path)' needs 'path' (the directory of capability files)", at: node.mark, path: path)
            return nil
        }
        return directory.map { CapabilityDirectory(path: $0, allowEnv: allowEnv, allowFiles: allowFiles) }
    }

    private mutating func nonEmptyPath(_ node: Node, path: String) -> String? {
        guard let text = string(node, path: path) else { return nil }
        if text.trimmingBlanks().isEmpty {
            error("expected a directory path for '\(path)', found an empty string", at: node.mark, path: path)
            return nil
        }
        return text
    }

    /// A list of environment variable names (`[A-Za-z_][A-Za-z0-9_]*`, as capability files can name them).
    private mutating func environmentNames(_ node: Node, path: String) -> [String]? {
        guard let items = stringList(node, path: path) else { return nil }
        var names: [String] = []
        for item in items {
            let scalars = Array(item.value.unicodeScalars)
            let isName = !scalars.isEmpty && scalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
                && !("0"..."9").contains(scalars[0])
            if isName {
                names.append(item.value)
            } else {
                error("expected an environment variable name like 'GITHUB_TOKEN' for '\(item.path)', found '\(item.value)'",
                      at: item.mark, path: item.path)
            }
        }
        return names
    }

    mutating func securitySettings(_ node: Node, path: String) -> SecuritySettings {
        var settings = SecuritySettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.security, path: path) else {
            return settings
        }
        for entry in entries {
            switch entry.key {
            case "ssrf_allow": settings.ssrfAllow = ssrfAllow(entry.value, path: entry.path)
            case "tool_policy": settings.toolPolicy = toolPolicy(entry.value, path: entry.path)
            case "firewall": settings.firewall = firewall(entry.value, path: entry.path)
            case "pinning":
                if let mode = oneOf(PinningMode.allCases.map(\.rawValue), entry.value, path: entry.path) {
                    settings.pinning = PinningMode(rawValue: mode) ?? .warn
                }
            default: break
            }
        }
        return settings
    }

    private mutating func ssrfAllow(_ node: Node, path: String) -> [IPNetwork] {
        guard let items = stringList(node, path: path) else { return [] }
        var networks: [IPNetwork] = []
        for item in items {
            if let network = IPNetwork(item.value.trimmingBlanks()) {
                networks.append(network)
            } else {
                error("expected an IP address or CIDR range like '127.0.0.1', '10.0.0.0/8' or 'fd00::/8' for '\(item.path)', found '\(item.value)' (host names are not accepted: the check is on resolved addresses)",
                      at: item.mark, path: item.path)
            }
        }
        return networks
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
