// Reads the `meta_mcp:` section. Backend names it mentions are recorded and checked once all backends are read.

import Yams

extension ConfigDecoder {
    mutating func metaMCPSettings(_ node: Node, path: String) -> MetaMCPSettings {
        var settings = MetaMCPSettings()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.metaMCP, path: path) else { return settings }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "enabled":
                if let enabled = bool(value, path: entry.path) { settings.enabled = enabled }
            case "cache_ttl":
                if let ttl = duration(value, path: entry.path, allowZero: true) { settings.cacheTTL = ttl }
            case "discovery_wait":
                if let wait = duration(value, path: entry.path, allowZero: true) { settings.discoveryWait = wait }
            case "warm_start":
                guard let names = stringList(value, path: entry.path) else { break }
                settings.warmStart = names.map(\.value)
                for name in names where name.value != "*" {
                    backendReferences.append(BackendReference(
                        name: name.value, mark: name.mark, path: name.path, usedBy: entry.path
                    ))
                }
            case "search":
                if let mode = oneOf(ToolSearchMode.allCases.map(\.rawValue), value, path: entry.path) {
                    settings.search = ToolSearchMode(rawValue: mode) ?? .hybrid
                }
            case "surfaced_tools":
                if let tools = surfacedTools(value, path: entry.path) { settings.surfacedTools = tools }
            default:
                break
            }
        }
        return settings
    }

    private mutating func surfacedTools(_ node: Node, path: String) -> [SurfacedTool]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list of {server, tool} entries for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return nil
        }
        var tools: [SurfacedTool] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let entries = supportedEntries(of: item, section: ConfigSchema.surfacedTool, path: itemPath) else {
                continue
            }
            var server: String?
            var tool: String?
            for entry in entries {
                var text = string(entry.value, path: entry.path)
                if text?.isEmpty == true {
                    error("expected a non-empty string for '\(entry.path)'", at: entry.value.mark, path: entry.path)
                    text = nil
                }
                if entry.key == "server" {
                    server = text
                    if let text {
                        backendReferences.append(BackendReference(
                            name: text, mark: entry.value.mark, path: entry.path, usedBy: path
                        ))
                    }
                } else {
                    tool = text
                }
            }
            let presentKeys = Set(entries.map(\.key))
            for required in ["server", "tool"] where !presentKeys.contains(required) {
                error("'\(itemPath)' needs '\(required)'", at: item.mark, path: itemPath)
            }
            if let server, let tool {
                tools.append(SurfacedTool(server: server, tool: tool))
            }
        }
        return tools
    }
}
