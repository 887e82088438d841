// A backend's tool shaping keys in the export tree: `tools`, `rename`, `descriptions`,
// `arguments` and `max_result_bytes`. Argument values are JSON and keep their types: the YAML
// emitter writes numbers, booleans and null plain and quotes every string that could read as
// one of them, which is exactly what the decoder's `jsonValue` tells apart.

import MCPProtocol

extension ConfigTreeBuilder {
    /// The keys in the order gateway.yaml documents them.
    func toolShaping(_ shaping: ToolShapingSettings) -> [(String, JSONValue)] {
        [
            ("tools", .object(JSONObject([("allow", texts(shaping.allow)), ("deny", texts(shaping.deny))]))),
            ("rename", sortedObject(shaping.rename, text)),
            ("descriptions", .object(JSONObject(shaping.descriptions.map { ($0.tool, descriptionChange($0.change)) }))),
            ("arguments", .object(JSONObject(shaping.arguments.map { ($0.tool, argumentRule($0)) }))),
            ("max_result_bytes", optional(shaping.maxResultBytes, size)),
        ]
    }

    /// Always the mapping form, which says which change it is.
    private func descriptionChange(_ change: DescriptionRule.Change) -> JSONValue {
        switch change {
        case .replace(let description): return .object(JSONObject([("replace", text(description))]))
        case .append(let addition): return .object(JSONObject([("append", text(addition))]))
        }
    }

    private func argumentRule(_ rule: ArgumentRule) -> JSONValue {
        .object(JSONObject([
            ("defaults", argumentValue(.object(rule.defaults))),
            ("fixed", argumentValue(.object(rule.fixed))),
            ("hide", texts(rule.hide)),
        ]))
    }

    /// A JSON value with its strings written as config strings (`$` doubled, since the decoder
    /// expands them); keys are not expanded, so they stay as they are.
    private func argumentValue(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let string): return text(string)
        case .array(let items): return .array(items.map(argumentValue))
        case .object(let object): return .object(JSONObject(object.members.map { ($0.key, argumentValue($0.value)) }))
        // Pre-encoded JSON never comes from the decoder; parsed, it is written like any other value.
        case .raw(let raw): return (try? raw.parsed()).map(argumentValue) ?? .null
        case .null, .bool, .int, .double: return value
        }
    }
}
