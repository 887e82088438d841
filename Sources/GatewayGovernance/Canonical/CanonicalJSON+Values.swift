// Canonical JSON of a parsed value (tool definitions, for pins and their diffs): the same key
// order as the canonical form of a text (CanonicalJSON.swift: members sorted by UTF-16 code
// units, as RFC 8785 orders them), no whitespace, strings escaped the one way JSONWriter escapes
// them. Two definitions that differ only in key order or spacing encode to the same bytes.

import MCPProtocol

extension CanonicalJSON {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, member) in sortedMembers(object).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .raw(let raw):
            // Pre-encoded bytes are parsed so that their key order and spacing do not count.
            if let parsed = try? JSONParser.parse(raw.bytes) {
                write(parsed, into: &out)
            } else {
                out.append(contentsOf: raw.bytes)
            }
        default:
            JSONWriter.write(value, into: &out)
        }
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
