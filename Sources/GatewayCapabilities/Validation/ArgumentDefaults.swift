// Fills in the `default` of each top-level input property the caller left out, so templates and the
// validator see the value the capability documents.

import MCPProtocol

enum ArgumentDefaults {
    static func apply(schema: JSONValue, to arguments: JSONValue) -> JSONValue {
        guard case .object(var object) = arguments, let properties = schema["properties"]?.objectValue else {
            return arguments
        }
        for property in properties.members {
            guard object[property.key] == nil, let fallback = property.value["default"], !fallback.isNull else { continue }
            object[property.key] = fallback
        }
        return .object(object)
    }
}
