// What `mcp-gateway tools diff` prints for one tool: per pinned field that changed, the old
// and new text line by line (`-` removed, `+` added, two spaces unchanged). Descriptions
// are compared as text; schemas and annotations as indented JSON with sorted keys, so a
// reordered schema shows no difference and a new property shows as its own lines.

import MCPProtocol

public enum DefinitionDiff {
    /// The diff of every pinned field that differs; `old` nil for a tool with no pin.
    public static func lines(old: JSONValue?, new: JSONValue?) -> [String] {
        var out: [String] = []
        for field in ToolFingerprint.pinnedFields where field != "name" {
            let before = old?[field].map { text(of: $0, field: field) } ?? []
            let after = new?[field].map { text(of: $0, field: field) } ?? []
            guard before != after else { continue }
            out.append("@@ \(field)")
            out.append(contentsOf: diff(before, after))
        }
        return out
    }

    static func text(of value: JSONValue, field: String) -> [String] {
        if field == "description", let text = value.stringValue {
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        var lines: [String] = []
        pretty(CanonicalJSON.sorted(value), indent: "", prefix: "", suffix: "", into: &lines)
        return lines
    }

    private static func pretty(_ value: JSONValue, indent: String, prefix: String, suffix: String, into lines: inout [String]) {
        switch value {
        case .object(let object) where object.count > 0:
            lines.append(indent + prefix + "{")
            for (index, member) in object.members.enumerated() {
                pretty(member.value, indent: indent + "  ", prefix: JSONWriter.encodeString(.string(member.key)) + ": ",
                       suffix: index < object.count - 1 ? "," : "", into: &lines)
            }
            lines.append(indent + "}" + suffix)
        case .array(let items) where !items.isEmpty:
            lines.append(indent + prefix + "[")
            for (index, item) in items.enumerated() {
                pretty(item, indent: indent + "  ", prefix: "", suffix: index < items.count - 1 ? "," : "", into: &lines)
            }
            lines.append(indent + "]" + suffix)
        default:
            lines.append(indent + prefix + JSONWriter.encodeString(value) + suffix)
        }
    }

    /// A longest-common-subsequence line diff (definitions are small: a few hundred lines).
    static func diff(_ a: [String], _ b: [String]) -> [String] {
        let n = a.count, m = b.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append("  " + a[i]); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                out.append("- " + a[i]); i += 1
            } else {
                out.append("+ " + b[j]); j += 1
            }
        }
        return out
    }
}
