// Pretty-printed JSON for `config export --format json` (MCPProtocol's JSONPrettyLayout). The
// output also loads as gateway.yaml, JSON being YAML's flow style: strings are quoted as YAML
// reads them back (YAMLQuoting.doubleQuoted), and doubles keep a fraction ("2.0"), so an
// `arguments` double stays one.

import MCPProtocol

enum JSONPrettyWriter {
    /// The text of `value`, ending with a line break.
    static func document(_ value: JSONValue) -> String {
        JSONPrettyLayout.text(value, key: YAMLQuoting.doubleQuoted, leaf: { value in
            switch value {
            case .string(let string): YAMLQuoting.doubleQuoted(string)
            case .double(let number) where number.isFinite: number.description
            default: JSONWriter.encodeString(value)
            }
        }) + "\n"
    }
}
