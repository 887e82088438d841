// Writes an export tree as block-style YAML: mappings as `key: value` lines, lists as `- item`
// lines, two spaces per level, a blank line between top-level sections. Written here rather
// than through Yams' emitter so that the quoting rules are the decoder's (YAMLScalar) and the
// order is the tree's.

import MCPProtocol

enum YAMLEmitter {
    /// The document of a top-level mapping, ending with a line break.
    static func document(_ root: JSONObject) -> String {
        let sections = root.members.map { member in
            var lines: [String] = []
            entry(key: member.key, value: member.value, indent: "", into: &lines)
            return lines.joined(separator: "\n")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// `key: value`, or `key:` and the nested block one level deeper.
    private static func entry(key: String, value: JSONValue, indent: String, into lines: inout [String]) {
        let head = indent + YAMLScalar.key(key) + ":"
        switch value {
        case .object(let object) where object.count > 0:
            lines.append(head)
            mapping(object, indent: indent + "  ", into: &lines)
        case .array(let items) where !items.isEmpty:
            lines.append(head)
            sequence(items, indent: indent + "  ", into: &lines)
        default:
            scalar(value, head: head, indent: indent, into: &lines)
        }
    }

    private static func mapping(_ object: JSONObject, indent: String, into lines: inout [String]) {
        for member in object.members {
            entry(key: member.key, value: member.value, indent: indent, into: &lines)
        }
    }

    /// Each item after `- `; a nested mapping or list starts on the dash's line (`- key: value`,
    /// `- - item`) and continues two columns in, where its first line began.
    private static func sequence(_ items: [JSONValue], indent: String, into lines: inout [String]) {
        for item in items {
            var nested: [String] = []
            switch item {
            case .object(let object) where object.count > 0:
                mapping(object, indent: indent + "  ", into: &nested)
            case .array(let inner) where !inner.isEmpty:
                sequence(inner, indent: indent + "  ", into: &nested)
            default:
                scalar(item, head: indent + "-", indent: indent, into: &lines)
                continue
            }
            if let first = nested.first {
                lines.append(indent + "- " + String(first.dropFirst(indent.count + 2)))
                lines += nested.dropFirst()
            }
        }
    }

    /// `head value`, or `head |` and the block's lines one level deeper than `indent`.
    private static func scalar(_ value: JSONValue, head: String, indent: String, into lines: inout [String]) {
        switch YAMLScalar.representation(of: value) {
        case .inline(let text):
            lines.append(head + " " + text)
        case .literal(let indicator, let content):
            lines.append(head + " " + indicator)
            lines += content.map { $0.isEmpty ? "" : indent + "  " + $0 }
        }
    }
}
