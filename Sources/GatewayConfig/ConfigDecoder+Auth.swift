// Reads the `auth:` section: the switch, the bearer token, API keys (by value or by digest),
// public paths, the OAuth issuer (ConfigDecoder+OAuth) and the stdio principal. Secrets are read
// with `secret`, which never repeats a value in a diagnostic.

import Yams

extension ConfigDecoder {
    mutating func authSettings(_ node: Node, path: String) -> AuthSettings {
        var settings = AuthSettings()
        if Self.isSwitchedOff(node) {
            // `auth: {enabled: false, ...}` (the reference's way of saying "no auth") asks for
            // nothing: its identity keys are not read, only its opt-out.
            if case .mapping(let mapping) = node, let allow = mapping["allow_unauthenticated"] {
                settings.allowUnauthenticated = bool(allow, path: path + ".allow_unauthenticated") ?? false
            }
            return settings
        }
        guard let entries = supportedEntries(of: node, section: ConfigSchema.auth, path: path) else { return settings }
        var enabledMark: Mark?
        var enabledSeen = false
        var bearerMark: Mark?
        for entry in entries {
            switch entry.key {
            case "allow_unauthenticated":
                if let allow = bool(entry.value, path: entry.path) { settings.allowUnauthenticated = allow }
            case "enabled":
                enabledSeen = true
                enabledMark = entry.keyMark
                if let enabled = bool(entry.value, path: entry.path) { settings.enabled = enabled }
            case "bearer_token":
                bearerMark = entry.keyMark
                if let text = secret(entry.value, path: entry.path) {
                    settings.bearerToken = text == "auto" ? .generated : .value(text)
                }
            case "public_paths":
                if let paths = stringList(entry.value, path: entry.path) {
                    for path in paths where !path.value.hasPrefix("/") {
                        error("expected a path starting with '/' for '\(path.path)', found '\(path.value)'", at: path.mark, path: path.path)
                    }
                    settings.publicPaths = paths.map(\.value)
                }
            case "api_keys":
                settings.apiKeys = apiKeys(entry.value, path: entry.path)
            case "oauth":
                settings.oauth = oauthSettings(entry.value, path: entry.path)
            case "stdio_principal":
                if let name = string(entry.value, path: entry.path) {
                    if name.isEmpty { error("expected a principal name for '\(entry.path)', found nothing", at: entry.value.mark, path: entry.path) }
                    settings.stdioPrincipal = name
                }
            default:
                break
            }
        }
        // Keys or a token without `enabled` mean authentication is wanted: the reference needs
        // `enabled: true` too, and a file that lists keys but forgot it must not run open.
        let hasIdentities = settings.bearerToken != nil || !settings.apiKeys.isEmpty || settings.oauth != nil
        if !enabledSeen && hasIdentities { settings.enabled = true }
        if settings.enabled && !hasIdentities {
            error("'\(path).enabled' is true but no identity is configured: add 'bearer_token', 'api_keys' or 'oauth'",
                  at: enabledMark, path: path + ".enabled")
        }
        if enabledSeen && !settings.enabled && hasIdentities {
            warning("'\(path).enabled' is false: the configured identities are not checked and every caller is an anonymous admin",
                    at: enabledMark ?? bearerMark, path: path + ".enabled")
        }
        return settings
    }

    private mutating func apiKeys(_ node: Node, path: String) -> [APIKeySettings] {
        guard case .sequence(let sequence) = node else {
            error("expected a list of API keys ({name, key or key_sha256, admin}) for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return []
        }
        var keys: [APIKeySettings] = []
        var names: Set<String> = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let entries = supportedEntries(of: item, section: ConfigSchema.apiKey, path: itemPath) else { continue }
            var key = APIKeySettings(name: "")
            var nameSeen = false
            for entry in entries {
                switch entry.key {
                case "name":
                    nameSeen = true
                    if let name = string(entry.value, path: entry.path) {
                        if names.contains(name) { error("API key name '\(name)' is used twice", at: entry.value.mark, path: entry.path) }
                        names.insert(name)
                        key.name = name
                    }
                case "key":
                    key.key = secret(entry.value, path: entry.path)
                case "key_sha256":
                    if let hex = string(entry.value, path: entry.path) {
                        if hex.utf8.count == 64, hex.utf8.allSatisfy({ $0.isHexDigit }) {
                            key.keySHA256 = hex.lowercased()
                        } else {
                            error("expected 64 hex digits (the SHA-256 of the key; 'mcp-gateway auth hash-key' prints it) for '\(entry.path)'",
                                  at: entry.value.mark, path: entry.path)
                        }
                    }
                case "admin":
                    key.admin = bool(entry.value, path: entry.path) ?? false
                default:
                    _ = principalRule(entry, into: &key.rules)
                }
            }
            if !nameSeen || key.name.isEmpty {
                error("'\(itemPath)' needs a 'name' (it names the caller in logs and policies)", at: item.mark, path: itemPath)
            }
            let hasKey = entries.contains { $0.key == "key" }, hasDigest = entries.contains { $0.key == "key_sha256" }
            if hasKey == hasDigest {
                error("'\(itemPath)' needs exactly one of 'key' and 'key_sha256'", at: item.mark, path: itemPath)
            }
            if let value = key.key, value.utf8.count < 16 {
                error("the key of '\(itemPath)' is shorter than 16 characters: use a long random key ('openssl rand -hex 32')",
                      at: item.mark, path: itemPath + ".key")
            }
            keys.append(key)
        }
        return keys
    }

    /// A secret: a literal or `env:NAME`. Diagnostics name the variable, never the value.
    mutating func secret(_ node: Node, path: String) -> String? {
        guard let text = text(of: node, path: path, expected: "a string (a literal, or env:NAME)") else { return nil }
        guard text.hasPrefix("env:") else {
            if text.isEmpty { error("'\(path)' is empty", at: node.mark, path: path) }
            return text.isEmpty ? nil : text
        }
        let name = String(text.dropFirst(4))
        guard let value = expander.environment[name], !value.isEmpty else {
            error("environment variable '\(name)' named by '\(path)' is not set (or empty)", at: node.mark, path: path)
            return nil
        }
        return value
    }
}

private extension UInt8 {
    var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
