// Writes a JSON tree as block-style YAML for generated capability files. Every string comes from a spec
// someone else wrote, so it is written plain only when it is made of characters that cannot end a line,
// start a structure or change its type; everything else is double-quoted with every line break
// (including U+0085, U+2028, U+2029) and non-printable character escaped. Header comments are made
// one line: a title with a newline once escaped the comment and added a top-level `auth:` block.
// The quoting itself is GatewayConfig's YAMLQuoting, which `config export` writes with too.

import GatewayConfig
import MCPProtocol

enum CapabilityYAMLWriter {
    static func yaml(_ value: JSONValue, header: [String] = []) -> String {
        var lines = header.map { "# " + commentText($0) }
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

    /// Inside `[...]` a plain scalar also cannot hold `,`, `[`, `]`, `{`, `}` or `:`.
    private static func scalar(_ value: JSONValue, inFlow: Bool = false) -> String {
        guard case .string(let text) = value else { return JSONWriter.encodeString(value) }
        let flowSafe = !inFlow || !text.contains(where: { ",[]{}:".contains($0) })
        return isPlainSafe(text) && flowSafe ? text : YAMLQuoting.doubleQuoted(text)
    }

    /// Plain only when unambiguous: every character printable and none a line break, no indicator at the
    /// start, no `: `, ` #`, braces or trailing `:`, not a number, boolean, null or merge key under YAML 1.1
    /// or 1.2, no leading or trailing space.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " ", last != ":" else { return false }
        if "-?:,[]{}#&*!|>'\"%@`<=~".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains("{") || text.contains("}") { return false }
        if !text.unicodeScalars.allSatisfy(YAMLQuoting.isPrintable) { return false }
        let lower = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(lower) { return false }
        if first.isNumber || first == "." || first == "+" { return false }
        return true
    }

    /// `text` as the rest of one comment line: line breaks and non-printable characters become spaces.
    static func commentText(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for unit in text.unicodeScalars {
            out.append(YAMLQuoting.isPrintable(unit) ? unit : " ")
        }
        return String(out)
    }
}
