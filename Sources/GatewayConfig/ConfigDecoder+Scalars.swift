// Typed readers of scalar and list values: each expands ${VAR} first, converts the text, and reports
// a message saying what was expected when the value does not fit.

import Yams

extension ConfigDecoder {
    /// The expanded text of a scalar node, or nil after reporting why there is none.
    mutating func text(of node: Node, path: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node, !node.isNull else {
            error("expected \(expected) for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return nil
        }
        let (value, problems) = expander.expand(scalar.string)
        for problem in problems {
            if case .unsetVariable = problem {
                unsetVariableDiagnosticIndices.insert(diagnostics.count)
            }
            error(problem.message, at: scalar.mark, path: path)
        }
        return problems.isEmpty ? value : nil
    }

    mutating func string(_ node: Node, path: String) -> String? {
        text(of: node, path: path, expected: "a string")
    }

    mutating func bool(_ node: Node, path: String) -> Bool? {
        let expected = "true or false"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        guard let value = Self.booleanWord(text) else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return value
    }

    /// The YAML 1.1 words for true and false that config files use.
    static func booleanWord(_ text: String) -> Bool? {
        switch text.trimmingBlanks().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    mutating func port(_ node: Node, path: String) -> Int? {
        let expected = "an integer port 1-65535"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        let trimmed = text.trimmingBlanks()
        guard trimmed.allSatisfy(\.isASCIIDigit), let port = Int(trimmed), (1...65535).contains(port) else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return port
    }

    /// A duration; zero is refused when `allowZero` is false because it would make every request time out.
    mutating func duration(_ node: Node, path: String, allowZero: Bool) -> Duration? {
        let expected = allowZero
            ? "a duration like '30s', '5m', '1m30s', '100ms' or a number of seconds"
            : "a positive duration like '30s', '5m', '1m30s', '100ms' or a number of seconds"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        guard let duration = HumanDuration.parse(text), allowZero || duration > .zero else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return duration
    }

    /// A positive number of bytes.
    mutating func byteSize(_ node: Node, path: String) -> Int? {
        let expected = "a positive size like '10MiB', '512KB' or a number of bytes"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        guard let bytes = ByteSize.parse(text), bytes > 0 else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return bytes
    }

    /// A list of strings; nil if the node is not a list or any item is bad (every bad item is reported).
    mutating func stringList(_ node: Node, path: String) -> [(value: String, mark: Mark?, path: String)]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list of strings for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return nil
        }
        var items: [(value: String, mark: Mark?, path: String)] = []
        var allGood = true
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            if let value = string(item, path: itemPath) {
                items.append((value, item.mark, itemPath))
            } else {
                allGood = false
            }
        }
        return allGood ? items : nil
    }

    /// A mapping of names to strings (env, headers); the validators return a complaint about a bad name or value.
    mutating func stringMap(
        _ node: Node, path: String, validateKey: (String) -> String?, validateValue: (String) -> String? = { _ in nil }
    ) -> [String: String]? {
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of names to strings for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return nil
        }
        var result: [String: String] = [:]
        var allGood = true
        for (key, value) in pairs {
            let entryPath = configPath(path, key.string)
            if let complaint = validateKey(key.string) {
                error(complaint, at: key.mark, path: entryPath)
                allGood = false
            }
            if value.isNull {
                error("expected a string for '\(entryPath)', found nothing; write \"\" for an empty value",
                      at: value.mark ?? key.mark, path: entryPath)
                allGood = false
            } else if let text = string(value, path: entryPath) {
                if let complaint = validateValue(text) {
                    error(complaint, at: value.mark, path: entryPath)
                    allGood = false
                }
                result[key.string] = text
            } else {
                allGood = false
            }
        }
        return allGood ? result : nil
    }

    /// "expected X for 'path', found 'text'", with long values cut short.
    mutating func reportMismatch(expected: String, found text: String, node: Node, path: String, hint: String = "") {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        error("expected \(expected) for '\(path)', found '\(shown)'\(hint)", at: node.mark, path: path)
    }
}
