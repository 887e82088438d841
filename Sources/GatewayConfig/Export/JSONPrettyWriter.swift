// Pretty-printed JSON for `config export --format json`: two spaces per level, members in the
// tree's order (MCPProtocol's JSONWriter writes compact JSON only). The output also loads as
// gateway.yaml, JSON being YAML's flow style: strings are quoted as YAML reads them back
// (YAMLQuoting.doubleQuoted), and doubles keep a fraction ("2.0"), so an `arguments` double
// stays one.

import MCPProtocol

enum JSONPrettyWriter {
    /// The text of `value`, ending with a line break.
    static func document(_ value: JSONValue) -> String {
        var text = ""
        write(value, indent: "", into: &text)
        return text + "\n"
    }

    private static func write(_ value: JSONValue, indent: String, into text: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let object) where object.count > 0:
            text += "{\n"
            for (index, member) in object.members.enumerated() {
                text += inner + YAMLQuoting.doubleQuoted(member.key) + ": "
                write(member.value, indent: inner, into: &text)
                text += index < object.count - 1 ? ",\n" : "\n"
            }
            text += indent + "}"
        case .array(let items) where !items.isEmpty:
            text += "[\n"
            for (index, item) in items.enumerated() {
                text += inner
                write(item, indent: inner, into: &text)
                text += index < items.count - 1 ? ",\n" : "\n"
            }
            text += indent + "]"
        case .string(let string):
            text += YAMLQuoting.doubleQuoted(string)
        case .double(let number) where number.isFinite:
            text += number.description
        default:
            text += JSONWriter.encodeString(value)
        }
    }
}
