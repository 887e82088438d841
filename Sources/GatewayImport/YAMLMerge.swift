// Adds imported backends to an existing gateway.yaml as text, so everything the user wrote
// (comments, order, quoting, other sections) stays as it was: the new entries go at the end of
// the `backends:` block, indented as its entries already are, or into a new `backends:` section.

public enum YAMLMerge {
    /// `existing` with `entries` (lines under `backends:`, two spaces a level, as BackendsYAML
    /// writes them) added to its backends, `comment` lines first.
    public static func merge(existing: String, entries: [String], comment: [String], path: String) throws(ImportProblem) -> String {
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.firstIndex(where: { isTopLevelKey($0, "backends") }) else {
            let section: [String] = ["", "backends:"] + comment.map { "  " + $0 }
            lines += section + entries
            return lines.joined(separator: "\n") + "\n"
        }
        let value = valueAfterColon(lines[header])
        switch value {
        case "", "null", "~":
            break
        case "{}":
            lines[header] = "backends:"
        default:
            throw ImportProblem(file: path, message: "line \(header + 1): 'backends' is written on one line (\(value)); write it as a block (one backend per indented entry) to merge into it")
        }
        var last = header
        var unit: Int?
        var index = header + 1
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || (trimmed.hasPrefix("#") && line.first == "#") {
                index += 1
                continue
            }
            guard line.first == " " || line.first == "\t" else { break }
            if unit == nil, !trimmed.hasPrefix("#") { unit = line.count - trimmed.count }
            last = index
            index += 1
        }
        let step = unit ?? 2
        let commented: [String] = comment.map { "  " + $0 }
        let added = (commented + entries).map { reindent($0, unit: step) }
        lines.insert(contentsOf: added, at: last + 1)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether `line` starts the top-level mapping key `key`.
    static func isTopLevelKey(_ line: String, _ key: String) -> Bool {
        guard line.hasPrefix(key) else { return false }
        let rest = line.dropFirst(key.count).drop { $0 == " " }
        return rest.hasPrefix(":")
    }

    /// What follows `key:` on its line, without a trailing comment.
    static func valueAfterColon(_ line: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return "" }
        var value = String(line[line.index(after: colon)...])
        // A comment starts at a '#' that opens the value or follows a blank.
        var previous: Character = " "
        for index in value.indices {
            if value[index] == "#", previous == " " || previous == "\t" {
                value = String(value[..<index])
                break
            }
            previous = value[index]
        }
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(value.drop(while: blank).reversed().drop(while: blank).reversed())
    }

    /// A line written two spaces a level, re-indented `unit` spaces a level.
    static func reindent(_ line: String, unit: Int) -> String {
        let spaces = line.prefix { $0 == " " }.count
        return String(repeating: " ", count: spaces / 2 * unit) + line.dropFirst(spaces)
    }
}
