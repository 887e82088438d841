// JSON written for people (MCPProtocol's JSONPrettyLayout) in plain JSON: what `--rewire` puts
// into a client's settings file, where a person will read it.

import MCPProtocol

enum PrettyJSON {
    /// `value` as text whose first line continues the current one and whose later lines are
    /// indented from `indent` (the indentation of the line it starts on).
    static func text(_ value: JSONValue, indent: String = "") -> String {
        JSONPrettyLayout.text(value, indent: indent, key: { String(decoding: JSONWriter.quoted($0), as: UTF8.self) },
                              leaf: { String(decoding: JSONWriter.encode($0), as: UTF8.self) })
    }
}
