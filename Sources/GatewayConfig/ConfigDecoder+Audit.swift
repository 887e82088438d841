// Reads `audit:`. `path` is required (a file, `stdout` or `stderr`); a relative file path is
// taken from the config file's directory, like every other path in the file.

import Yams

extension ConfigDecoder {
    mutating func auditSettings(_ node: Node, path: String) -> AuditSettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.audit, path: path) else { return nil }
        var settings = AuditSettings(destination: .stdout)
        var destination: AuditSettings.Destination?
        for entry in entries {
            let (value, entryPath) = (entry.value, entry.path)
            switch entry.key {
            case "path":
                guard let text = string(value, path: entryPath) else { break }
                let trimmed = text.trimmingBlanks()
                if trimmed.isEmpty {
                    error("expected a file path, 'stdout' or 'stderr' for '\(entryPath)', found an empty string", at: value.mark, path: entryPath)
                } else if trimmed == "stdout" {
                    destination = .stdout
                } else if trimmed == "stderr" {
                    destination = .stderr
                } else if trimmed.hasSuffix("/") {
                    error("'\(entryPath)' names a directory ('\(trimmed)'); expected a file path like '\(trimmed)audit.jsonl'",
                          at: value.mark, path: entryPath)
                } else {
                    destination = .file(resolvedConfigRelativePath(trimmed))
                }
            case "max_size":
                guard let bytes = byteSize(value, path: entryPath) else { break }
                guard (4096...(1 << 40)).contains(bytes) else {
                    error("expected a size from 4KiB to 1TiB for '\(entryPath)', found \(bytes) bytes", at: value.mark, path: entryPath)
                    break
                }
                settings.maxSize = bytes
            case "keep":
                if let n = count(value, path: entryPath, in: 0...1000) { settings.keep = n }
            case "include_arguments":
                guard let items = stringList(value, path: entryPath) else { break }
                for item in items {
                    let pattern = item.value.trimmingBlanks()
                    if pattern.isEmpty {
                        error("'\(item.path)' is an empty pattern", at: item.mark, path: item.path)
                    } else {
                        settings.includeArguments.append(pattern)
                    }
                }
            default:
                break
            }
        }
        guard let destination else {
            if !entries.contains(where: { $0.key == "path" }) {
                error("'\(path)' needs 'path': a file (rotated by size), 'stdout' or 'stderr'", at: node.mark, path: path)
            }
            return nil
        }
        settings.destination = destination
        return settings
    }
}
