// Turns the YAML tree of one capability file into a CapabilityDefinition, collecting every problem in one
// pass like the config decoder: unknown keys with a did-you-mean, wrong types, each with its line.
// Section readers live in CapabilityDecoder+*.swift; this file holds the state and the typed readers.

import GatewayConfig
import MCPProtocol
import Yams

/// One key of a mapping, with where it and its value were written.
struct CapabilityEntry {
    let key: String
    let keyMark: Mark?
    let value: Node
    /// Dotted path, e.g. `providers.primary.config.method`.
    let path: String
}

/// Single-use decoder of one file.
struct CapabilityDecoder {
    let file: String
    private(set) var problems: [CapabilityProblem] = []
    /// Every environment variable and file the capability names, for the operator's allow-list.
    private(set) var secretReferences: [SecretReference] = []

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { problems.contains(where: \.isError) }

    mutating func error(_ message: String, at mark: Mark?, path: String) {
        problems.append(CapabilityProblem(severity: .error, path: file, line: mark?.line ?? 1,
                                          column: mark?.column ?? 1, keyPath: path, message: message))
    }

    mutating func error(_ message: String, line: Int, path: String) {
        problems.append(CapabilityProblem(severity: .error, path: file, line: line, column: 1, keyPath: path,
                                          message: message))
    }

    mutating func warning(_ message: String, at mark: Mark?, path: String) {
        problems.append(CapabilityProblem(severity: .warning, path: file, line: mark?.line ?? 1,
                                          column: mark?.column ?? 1, keyPath: path, message: message))
    }

    mutating func noteSecret(_ kind: SecretReference.Kind, at mark: Mark?, path: String) {
        secretReferences.append(SecretReference(kind: kind, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: path))
    }

    mutating func sortProblems() {
        problems = problems.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
    }

    /// The entries of a mapping whose keys are known, in file order, without null values; nil (after an
    /// error) when the node is not a mapping.
    mutating func entries(of node: Node, section: CapabilitySection, path: String) -> [CapabilityEntry]? {
        guard case .mapping(let mapping) = node else {
            let place = path.isEmpty ? "at the top level of the file" : "for '\(path)'"
            error("expected a mapping \(place), found \(kindDescription(node))", at: node.mark, path: path)
            return nil
        }
        var result: [CapabilityEntry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                error("'\(path)' has a key that is not a plain string", at: keyNode.mark, path: path)
                continue
            }
            let key = keyScalar.string
            let entryPath = path.isEmpty ? key : path + "." + key
            if section.supported.contains(key) {
                if !isNull(value) {
                    result.append(CapabilityEntry(key: key, keyMark: keyScalar.mark, value: value, path: entryPath))
                }
            } else if section.ignored.contains(key) {
                warning("'\(key)' is not supported and is ignored", at: keyScalar.mark, path: entryPath)
            } else if let refusal = section.refused[key] {
                error(refusal, at: keyScalar.mark, path: entryPath)
            } else {
                let place = path.isEmpty ? "unknown top-level key '\(key)'" : "unknown key '\(key)' in '\(path)'"
                let hint = closestSuggestion(for: key, among: section.allKeys).map { "; did you mean '\($0)'?" } ?? ""
                error(place + hint, at: keyScalar.mark, path: entryPath)
            }
        }
        return result
    }

    // MARK: typed readers

    mutating func string(_ node: Node, path: String) -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            error("expected a string for '\(path)', found \(kindDescription(node))", at: node.mark, path: path)
            return nil
        }
        return scalar.string
    }

    mutating func nonEmptyString(_ node: Node, path: String) -> String? {
        guard let text = string(node, path: path) else { return nil }
        if text.trimmingBlanks().isEmpty {
            error("expected a non-empty string for '\(path)'", at: node.mark, path: path)
            return nil
        }
        return text
    }

    mutating func bool(_ node: Node, path: String) -> Bool? {
        if case .scalar(let scalar) = node, case .bool(let flag) = YAMLValue.scalarValue(scalar) { return flag }
        error("expected true or false for '\(path)', found \(describe(node))", at: node.mark, path: path)
        return nil
    }

    /// A number of seconds (`30`, `2.5`) or a duration text (`10s`, `1m30s`, `500ms`), greater than zero and
    /// at most `maximum`. The range is checked before any conversion, so no number in a file can trap.
    mutating func duration(_ node: Node, path: String, maximum: Duration = CapabilityLimits.maxTimeout) -> Duration? {
        var parsed: Duration?
        var tooLong = false
        if case .scalar(let scalar) = node {
            switch YAMLValue.scalarValue(scalar) {
            case .int(let seconds) where seconds > 0:
                parsed = Duration.seconds(seconds)
            case .double(let seconds) where seconds > 0 && seconds.isFinite:
                // Compared as a Double first: only then is the millisecond count known to fit in an Int.
                if seconds > Double(maximum.components.seconds) {
                    tooLong = true
                } else {
                    parsed = .milliseconds(Int((seconds * 1000).rounded()))
                }
            case .string(let text):
                if let value = HumanDuration.parse(text), value > .zero { parsed = value }
            default: break
            }
        }
        guard let parsed, parsed > .zero else {
            if tooLong {
                error("'\(path)' is \(describe(node)), more than the most allowed (\(maximum.components.seconds)s)",
                      at: node.mark, path: path)
                return nil
            }
            error("expected a positive duration like 30, '10s' or '500ms' for '\(path)', found \(describe(node))",
                  at: node.mark, path: path)
            return nil
        }
        guard parsed <= maximum else {
            error("'\(path)' is \(describe(node)), more than the most allowed (\(maximum.components.seconds)s)",
                  at: node.mark, path: path)
            return nil
        }
        return parsed
    }

    /// A positive number of bytes, or a size text such as `4KB` or `1MiB`, at most `maximum`.
    mutating func byteCount(_ node: Node, path: String, maximum: Int) -> Int? {
        var parsed: Int?
        if case .scalar(let scalar) = node {
            switch YAMLValue.scalarValue(scalar) {
            case .int(let bytes) where bytes > 0: parsed = bytes
            case .string(let text): if let bytes = ByteSize.parse(text), bytes > 0 { parsed = bytes }
            default: break
            }
        }
        guard let parsed else {
            error("expected a positive number of bytes or a size like '8KB' for '\(path)', found \(describe(node))",
                  at: node.mark, path: path)
            return nil
        }
        guard parsed <= maximum else {
            error("'\(path)' is \(describe(node)), more than the most allowed (\(maximum) bytes)", at: node.mark, path: path)
            return nil
        }
        return parsed
    }

    mutating func stringList(_ node: Node, path: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list of strings for '\(path)', found \(kindDescription(node))", at: node.mark, path: path)
            return nil
        }
        var items: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = string(item, path: "\(path)[\(index)]") else { return nil }
            items.append(text)
        }
        return items
    }

    /// A mapping of names to scalar values (kept as text), in file order.
    mutating func textMap(_ node: Node, path: String) -> [(key: String, value: String, mark: Mark?)]? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping of names to values for '\(path)', found \(kindDescription(node))",
                  at: node.mark, path: path)
            return nil
        }
        var result: [(key: String, value: String, mark: Mark?)] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard case .scalar(let scalar) = value, !isNull(value) else {
                error("expected a text value for '\(path).\(name)', found \(kindDescription(value))",
                      at: value.mark ?? key.mark, path: "\(path).\(name)")
                continue
            }
            result.append((name, scalar.string, value.mark))
        }
        return result
    }

    // MARK: node helpers

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func kindDescription(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull(node) ? "nothing (null)" : "a string"
        case .alias: return "an alias"
        }
    }

    /// "'abc'" for scalars, else the kind.
    func describe(_ node: Node) -> String {
        guard case .scalar(let scalar) = node, !isNull(node) else { return kindDescription(node) }
        let text = scalar.string
        return "'" + (text.count > 40 ? String(text.prefix(40)) + "…" : text) + "'"
    }
}
