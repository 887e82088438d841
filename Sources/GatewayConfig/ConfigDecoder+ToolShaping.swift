// Reads a backend's tool shaping keys: `tools: {allow, deny}`, `rename`, `descriptions`,
// `arguments` and `max_result_bytes` (see ToolShapingSettings).

import MCPProtocol
import Yams

extension ConfigDecoder {
    /// Reads one shaping key into `shaping`; false when `key` is not one of them.
    mutating func readToolShaping(_ entry: MappingEntry, into shaping: inout ToolShapingSettings) -> Bool {
        switch entry.key {
        case "tools":
            guard let entries = supportedEntries(of: entry.value, section: ConfigSchema.backendToolFilter, path: entry.path) else {
                return true
            }
            for item in entries {
                let globs = toolPatterns(item.value, path: item.path)
                if item.key == "allow" { shaping.allow = globs } else { shaping.deny = globs }
            }
        case "rename":
            shaping.rename = toolRenames(entry.value, path: entry.path)
        case "descriptions":
            shaping.descriptions = descriptionRules(entry.value, path: entry.path)
        case "arguments":
            shaping.arguments = argumentRules(entry.value, path: entry.path)
        case "max_result_bytes":
            guard let bytes = byteSize(entry.value, path: entry.path) else { return true }
            if bytes < ToolShapingSettings.minimumResultBytes {
                error("'\(entry.path)' must be at least \(ToolShapingSettings.minimumResultBytes) bytes (room for the truncation note), found \(bytes)",
                      at: entry.value.mark, path: entry.path)
            } else {
                shaping.maxResultBytes = bytes
            }
        default:
            return false
        }
        return true
    }

    /// A list of tool names or globs.
    private mutating func toolPatterns(_ node: Node, path: String) -> [String] {
        guard let items = stringList(node, path: path) else { return [] }
        var patterns: [String] = []
        for item in items {
            if item.value.isEmpty {
                error("expected a tool name or glob for '\(item.path)', found an empty string", at: item.mark, path: item.path)
            } else {
                patterns.append(item.value)
            }
        }
        return patterns
    }

    /// `rename: {backend name: exposed name}`: exact names on both sides, no two tools renamed
    /// to one name.
    private mutating func toolRenames(_ node: Node, path: String) -> [String: String] {
        guard let map = stringMap(node, path: path, validateKey: { key in
            if key.contains("*") || key.contains("?") { return "'\(key)': rename takes exact tool names, not globs" }
            return ConfigNameRules.toolNameProblem(key)
        }, validateValue: ConfigNameRules.toolNameProblem) else { return [:] }
        var byTarget: [String: String] = [:]
        for (original, exposed) in map.sorted(by: { $0.key < $1.key }) {
            if let other = byTarget[exposed] {
                error("'\(path)' renames both '\(other)' and '\(original)' to '\(exposed)': each tool needs its own name",
                      at: node.mark, path: configPath(path, original))
            }
            byTarget[exposed] = original
        }
        return map
    }

    /// `descriptions: {tool or glob: text | {replace: text} | {append: text}}`.
    private mutating func descriptionRules(_ node: Node, path: String) -> [DescriptionRule] {
        guard let pairs = toolKeyedPairs(node, path: path, what: "descriptions (text, or {append: text})") else { return [] }
        var rules: [DescriptionRule] = []
        for (key, value) in pairs {
            let entryPath = configPath(path, key.string)
            if case .scalar = value {
                if let text = string(value, path: entryPath) { rules.append(DescriptionRule(tool: key.string, change: .replace(text))) }
                continue
            }
            guard let entries = supportedEntries(of: value, section: ConfigSchema.descriptionChange, path: entryPath) else { continue }
            guard entries.count == 1, let only = entries.first else {
                error("'\(entryPath)' takes one of 'replace' or 'append'", at: value.mark, path: entryPath)
                continue
            }
            guard let text = string(only.value, path: only.path) else { continue }
            rules.append(DescriptionRule(tool: key.string, change: only.key == "append" ? .append(text) : .replace(text)))
        }
        return rules
    }

    /// `arguments: {tool or glob: {defaults: {...}, fixed: {...}, hide: [names]}}`.
    private mutating func argumentRules(_ node: Node, path: String) -> [ArgumentRule] {
        guard let pairs = toolKeyedPairs(node, path: path, what: "argument rules ({defaults, fixed, hide})") else { return [] }
        var rules: [ArgumentRule] = []
        for (key, value) in pairs {
            let entryPath = configPath(path, key.string)
            guard let entries = supportedEntries(of: value, section: ConfigSchema.argumentRule, path: entryPath) else { continue }
            var rule = ArgumentRule(tool: key.string)
            for entry in entries {
                switch entry.key {
                case "hide":
                    rule.hide = stringList(entry.value, path: entry.path)?.map(\.value) ?? []
                default:
                    guard case .mapping = entry.value, let valuePairs = entry.value.mappingPairsMergingKeys else {
                        error("expected a mapping of argument names to values for '\(entry.path)', found \(entry.value.kindDescription)",
                              at: entry.value.mark, path: entry.path)
                        continue
                    }
                    var object = JSONObject()
                    for (name, argument) in valuePairs {
                        if let json = jsonValue(argument, path: configPath(entry.path, name.string)) { object[name.string] = json }
                    }
                    if entry.key == "defaults" { rule.defaults = object } else { rule.fixed = object }
                }
            }
            for name in rule.defaults.keys where rule.fixed[name] != nil {
                error("'\(entryPath)': argument '\(name)' is both in 'defaults' and in 'fixed'; a fixed value is always sent, so keep one",
                      at: value.mark, path: entryPath)
            }
            rules.append(rule)
        }
        return rules
    }

    /// The pairs of a mapping keyed by tool names or globs (keys must not be empty).
    private mutating func toolKeyedPairs(_ node: Node, path: String, what: String) -> [(key: Node.Scalar, value: Node)]? {
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of tool names (or globs) to \(what) for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return nil
        }
        var kept: [(key: Node.Scalar, value: Node)] = []
        for (key, value) in pairs {
            if key.string.isEmpty {
                error("expected a tool name or glob as a key of '\(path)', found an empty string", at: key.mark, path: path)
            } else {
                kept.append((key, value))
            }
        }
        return kept
    }

    /// A YAML value as JSON: mappings and lists as such; a quoted scalar is a string, a plain one
    /// a null, true/false, a number or else a string (after `${VAR}` expansion).
    mutating func jsonValue(_ node: Node, path: String) -> JSONValue? {
        switch node {
        case .mapping:
            guard let pairs = node.mappingPairsMergingKeys else {
                error("'\(path)' has a key that is not a plain string", at: node.mark, path: path)
                return nil
            }
            var object = JSONObject()
            for (key, value) in pairs {
                guard let json = jsonValue(value, path: configPath(path, key.string)) else { return nil }
                object[key.string] = json
            }
            return .object(object)
        case .sequence(let sequence):
            var array: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                guard let json = jsonValue(item, path: "\(path)[\(index)]") else { return nil }
                array.append(json)
            }
            return .array(array)
        case .scalar(let scalar):
            if node.isNull { return .null }
            guard let text = string(node, path: path) else { return nil }
            guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: break
            }
            if let int = Int(text) { return .int(int) }
            if text.contains(where: { $0.isNumber }), let double = Double(text), double.isFinite { return .double(double) }
            return .string(text)
        case .alias:
            error("'\(path)' is a YAML alias, which argument values do not take", at: node.mark, path: path)
            return nil
        }
    }
}
