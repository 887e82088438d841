// Reads `metadata:` (category, tags, behaviour hints) and `transform:` (project, rename, redact, truncate).

import MCPProtocol
import Yams

extension CapabilityDecoder {
    mutating func capabilityMetadata(_ node: Node, path: String) -> CapabilityMetadata {
        var metadata = CapabilityMetadata()
        guard let entries = entries(of: node, section: .metadata, path: path) else { return metadata }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "category": metadata.category = string(value, path: entry.path)
            case "tags": metadata.tags = stringList(value, path: entry.path) ?? []
            case "read_only": metadata.readOnly = bool(value, path: entry.path)
            case "destructive": metadata.destructive = bool(value, path: entry.path)
            case "idempotent": metadata.idempotent = bool(value, path: entry.path)
            case "open_world": metadata.openWorld = bool(value, path: entry.path)
            default: break
            }
        }
        if metadata.readOnly == true, metadata.destructive == true {
            error("a capability cannot be both read_only and destructive", at: node.mark, path: path)
        }
        return metadata
    }

    mutating func responseTransform(_ node: Node, path: String) -> ResponseTransform {
        var transform = ResponseTransform()
        guard let entries = entries(of: node, section: .transform, path: path) else { return transform }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "project":
                for field in stringList(value, path: entry.path) ?? [] {
                    if ResponsePath(field) == nil {
                        error("invalid field path '\(field)' in '\(entry.path)'", at: value.mark, path: entry.path)
                    } else {
                        transform.project.append(field)
                    }
                }
            case "rename":
                transform.rename = (textMap(value, path: entry.path) ?? []).map { ($0.key, $0.value) }
            case "redact":
                transform.redact = redactionRules(value, path: entry.path)
            case "truncate":
                transform.truncate = byteCount(value, path: entry.path, maximum: CapabilityLimits.maxResponseBytes)
            default:
                break
            }
        }
        return transform
    }

    private mutating func redactionRules(_ node: Node, path: String) -> [RedactionRule] {
        guard case .sequence(let sequence) = node else {
            error("expected a list of field names or {pattern, replacement} for '\(path)', found \(kindDescription(node))",
                  at: node.mark, path: path)
            return []
        }
        var rules: [RedactionRule] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            if case .scalar = item {
                if let field = nonEmptyString(item, path: itemPath) { rules.append(.field(field)) }
                continue
            }
            guard let entries = entries(of: item, section: .redactRule, path: itemPath) else { continue }
            var pattern: String?
            var replacement = "[REDACTED]"
            var field: String?
            for entry in entries {
                switch entry.key {
                case "pattern":
                    guard let text = nonEmptyString(entry.value, path: entry.path) else { break }
                    if (try? Regex(text)) == nil {
                        error("invalid regular expression '\(text)'", at: entry.value.mark, path: entry.path)
                    } else {
                        pattern = text
                    }
                case "replacement": replacement = string(entry.value, path: entry.path) ?? replacement
                case "field": field = nonEmptyString(entry.value, path: entry.path)
                default: break
                }
            }
            if let pattern {
                rules.append(.pattern(pattern, replacement: replacement))
            } else if let field {
                rules.append(.field(field))
            } else if !entries.isEmpty {
                error("'\(itemPath)' needs 'pattern' or 'field'", at: item.mark, path: itemPath)
            }
        }
        return rules
    }
}
