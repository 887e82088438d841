// JSON laid out for people: two spaces per level, one member or element per line, members in
// the tree's order. Callers choose how keys and scalars are written (`config export` quotes them
// so YAML reads them back, `import --rewire` writes plain JSON); the layout is shared.

public enum JSONPrettyLayout {
    /// `value` as text whose first line continues the current one and whose later lines are
    /// indented from `indent`. Empty objects and arrays, and every other value, go to `leaf`.
    public static func text(_ value: JSONValue, indent: String = "", key: (String) -> String,
                            leaf: (JSONValue) -> String) -> String {
        var out = ""
        write(value, indent: indent, key: key, leaf: leaf, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: String, key: (String) -> String, leaf: (JSONValue) -> String,
                              into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let object) where !object.members.isEmpty:
            out += "{\n"
            for (index, member) in object.members.enumerated() {
                out += inner + key(member.key) + ": "
                write(member.value, indent: inner, key: key, leaf: leaf, into: &out)
                out += index == object.members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (index, element) in elements.enumerated() {
                out += inner
                write(element, indent: inner, key: key, leaf: leaf, into: &out)
                out += index == elements.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        default:
            out += leaf(value)
        }
    }
}
