// Writes a JSON tree as block-style YAML for generated capability files. Strings are written plain when
// YAML would read them back as the same string, else double-quoted (JSON escapes are valid YAML).

import MCPProtocol

enum CapabilityYAMLWriter {
    static func yaml(_ value: JSONValue, header: [String] = []) -> String {
        var lines = header.map { "# " + $0 }
        write(value, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func write(_ value: JSONValue, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object):
            for member in object.members {
                let key = scalar(.string(member.key))
                if isInline(member.value) {
                    lines.append("\(pad)\(key): \(inline(member.value))")
                } else {
                    lines.append("\(pad)\(key):")
                    write(member.value, indent: indent + 2, into: &lines)
                }
            }
        case .array(let items):
            for item in items {
                if isInline(item) {
                    lines.append("\(pad)- \(inline(item))")
                } else {
                    var nested: [String] = []
                    write(item, indent: indent + 2, into: &nested)
                    if let first = nested.first {
                        lines.append("\(pad)- " + first.dropFirst(indent + 2))
                        lines.append(contentsOf: nested.dropFirst())
                    }
                }
            }
        default:
            lines.append(pad + inline(value))
        }
    }

    /// Scalars, empty collections and short lists of scalars fit on the key's line.
    private static func isInline(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): return object.count == 0
        case .array(let items):
            return items.isEmpty || (items.count <= 8 && items.allSatisfy { isScalar($0) } && inline(value).count <= 80)
        default: return true
        }
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: return false
        default: return true
        }
    }

    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .object(let object) where object.count == 0: return "{}"
        case .array(let items): return "[" + items.map { scalar($0, inFlow: true) }.joined(separator: ", ") + "]"
        default: return scalar(value)
        }
    }

    /// Inside `[...]` a plain scalar also cannot hold `,`, `[` or `]`.
    private static func scalar(_ value: JSONValue, inFlow: Bool = false) -> String {
        guard case .string(let text) = value else { return JSONWriter.encodeString(value) }
        let flowSafe = !inFlow || !text.contains(where: { ",[]".contains($0) })
        return isPlainSafe(text) && flowSafe ? text : JSONWriter.encodeString(value)
    }

    /// Plain only when unambiguous: no indicator at the start, no `: ` or ` #`, not a number, boolean or null
    /// under YAML 1.1 or 1.2, no leading or trailing space, printable ASCII or letters.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " ", last != ":" else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains("\n") || text.contains("\t") || text.contains("{") || text.contains("}") {
            return false
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        let lower = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lower) { return false }
        if first.isNumber || first == "." || first == "+" { return false }
        return true
    }
}
