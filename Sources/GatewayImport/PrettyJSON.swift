// JSON written for people: two-space indentation, one member or element per line, in the order
// built. What `--rewire` puts into a client's settings file, where a person will read it.

import MCPProtocol

enum PrettyJSON {
    /// `value` as text whose first line continues the current one and whose later lines are
    /// indented from `indent` (the indentation of the line it starts on).
    static func text(_ value: JSONValue, indent: String = "") -> String {
        var out = ""
        write(value, indent: indent, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let object) where !object.members.isEmpty:
            out += "{\n"
            for (index, member) in object.members.enumerated() {
                out += inner + String(decoding: JSONWriter.quoted(member.key), as: UTF8.self) + ": "
                write(member.value, indent: inner, into: &out)
                out += index == object.members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (index, element) in elements.enumerated() {
                out += inner
                write(element, indent: inner, into: &out)
                out += index == elements.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        default:
            out += String(decoding: JSONWriter.encode(value), as: UTF8.self)
        }
    }
}
