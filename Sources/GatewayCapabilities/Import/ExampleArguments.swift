// Sample arguments for an imported operation, built from its input schema (examples, defaults, enums,
// formats and bounds), so every imported file carries an example `cap test` can check.

import MCPProtocol

enum ExampleArguments {
    /// The most items a sample array gets, whatever `minItems` says.
    static let maxSampleItems = 8
    /// The longest sample string, whatever `minLength` says.
    static let maxSampleLength = 1024

    /// Values for the required properties; nil when the schema has none that can be produced.
    static func sample(for schema: JSONValue) -> JSONValue {
        guard let properties = schema["properties"]?.objectValue else { return .object(JSONObject()) }
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        var arguments = JSONObject()
        for member in properties.members where required.contains(member.key) {
            arguments[member.key] = value(for: member.value, depth: 0)
        }
        return .object(arguments)
    }

    static func value(for schema: JSONValue, depth: Int) -> JSONValue {
        for key in ["example", "default", "const"] {
            if let given = schema[key], !given.isNull { return given }
        }
        if let examples = schema["examples"]?.arrayValue, let first = examples.first { return first }
        if let first = schema["enum"]?.arrayValue?.first(where: { !$0.isNull }) { return first }
        if let alternatives = (schema["oneOf"] ?? schema["anyOf"])?.arrayValue, let first = alternatives.first {
            return value(for: first, depth: depth + 1)
        }
        switch typeName(schema) {
        case "integer":
            let minimum = schema["minimum"]?.intValue ?? 1
            return .int(min(max(minimum, 1), schema["maximum"]?.intValue ?? Int.max))
        case "number":
            if let minimum = schema["minimum"]?.intValue { return .int(minimum) }
            return .double(1.5)
        case "boolean":
            return true
        case "array":
            // A spec's bounds are someone else's numbers: a sample never grows past a few items or levels
            // (a sample that then misses the schema only means the file gets no example).
            guard depth < 4 else { return .array([]) }
            let count = min(max(1, schema["minItems"]?.intValue ?? 1), maxSampleItems)
            return .array(Array(repeating: value(for: schema["items"] ?? ["type": "string"], depth: depth + 1), count: count))
        case "object":
            guard depth < 4 else { return .object(JSONObject()) }
            return sample(for: schema)
        default:
            return .string(sampleString(schema))
        }
    }

    private static func typeName(_ schema: JSONValue) -> String? {
        if let name = schema["type"]?.stringValue { return name }
        if let names = schema["type"]?.arrayValue?.compactMap(\.stringValue) { return names.first { $0 != "null" } }
        return schema["properties"] != nil ? "object" : nil
    }

    private static func sampleString(_ schema: JSONValue) -> String {
        var text: String
        switch schema["format"]?.stringValue {
        case "date": text = "2024-01-01"
        case "date-time": text = "2024-01-01T00:00:00Z"
        case "email": text = "user@example.com"
        case "uuid": text = "00000000-0000-4000-8000-000000000000"
        case "uri", "url": text = "https://example.com"
        case "ipv4": text = "192.0.2.1"
        default: text = "example"
        }
        if let minimum = schema["minLength"]?.intValue, text.count < minimum {
            text += String(repeating: "x", count: min(minimum, maxSampleLength) - text.count)
        }
        if let maximum = schema["maxLength"]?.intValue, text.count > maximum { text = String(text.prefix(max(maximum, 1))) }
        return text
    }
}
