// Reads the `auth:` section (see AuthSettings for what is implemented).

import Yams

extension ConfigDecoder {
    mutating func authSettings(_ node: Node, path: String) -> AuthSettings {
        var settings = AuthSettings()
        if Self.isSwitchedOff(node) {
            // `auth: {enabled: false, ...}` (the reference's way of saying "no auth") asks for
            // nothing: its identity keys are not refused, only its opt-out is read.
            if case .mapping(let mapping) = node, let allow = mapping["allow_unauthenticated"] {
                settings.allowUnauthenticated = bool(allow, path: path + ".allow_unauthenticated") ?? false
            }
            return settings
        }
        guard let entries = supportedEntries(of: node, section: ConfigSchema.auth, path: path) else { return settings }
        for entry in entries {
            switch entry.key {
            case "allow_unauthenticated":
                if let allow = bool(entry.value, path: entry.path) { settings.allowUnauthenticated = allow }
            case "enabled":
                // Authentication cannot be switched on yet: `enabled: true` would be a promise the
                // gateway does not keep.
                if bool(entry.value, path: entry.path) == true {
                    error(ConfigSchema.auth.refusal(forUnimplemented: entry.path), at: entry.keyMark, path: entry.path)
                }
            default:
                break
            }
        }
        return settings
    }
}
