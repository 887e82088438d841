// How an argument value is written where only text fits (URL, query, header, form body, mixed strings).

import MCPProtocol

enum ArgumentText {
    /// Strings as they are, numbers and booleans in JSON notation, arrays joined by commas (the common
    /// convention of query APIs, e.g. `fields=a,b`), objects as compact JSON; nil for null.
    static func render(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int, .double, .object, .raw: return JSONWriter.encodeString(value)
        case .array(let items): return items.compactMap(render).joined(separator: ",")
        }
    }
}
