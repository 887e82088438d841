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
                default: break
                }
            }
        }
        checkBackendReferences()
        sortDiagnosticsByPosition()
        return hasErrors ? nil : config
    }

    private mutating func checkBackendReferences() {
        for reference in backendReferences where !declaredBackendNames.contains(reference.name) {
            let hint = closestSuggestion(for: reference.name, among: declaredBackendNames).map { "; did you mean '\($0)'?" }
            error("'\(reference.usedBy)' names '\(reference.name)', which is not a backend" + (hint ?? ""),
                  at: reference.mark, path: reference.path)
        }
    }
}
