// Canonical JSON of a parsed value (tool definitions, for pins and their diffs): the canonical
// form of a text (CanonicalJSON.swift: members sorted by UTF-16 code units, as RFC 8785 orders
// them, no whitespace, one escaping), and the value itself with its members in that order for
// pretty diffs. Two definitions that differ only in key order or spacing encode to the same bytes.

import MCPProtocol

extension CanonicalJSON {
    /// The canonical bytes of `value`: written, then put in the canonical form of a text, so a
    /// definition digests the same as the same JSON received as bytes.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        let written = JSONWriter.encode(value)
        return canonical(written) ?? written
    }

    /// The value with every object's members in canonical order (for pretty diffs and storage).
    public static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(sorted))
        case .object(let object):
            return .object(JSONObject(sortedMembers(object).map { ($0.key, sorted($0.value)) }))
        case .raw(let raw): return (try? JSONParser.parse(raw.bytes)).map(sorted) ?? value
        default: return value
        }
    }

    static func sortedMembers(_ object: JSONObject) -> [(key: String, value: JSONValue)] {
        object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
    }
}
