// Input schemas for synthetic tools: the domain's scope parameter plus the arguments the
// verb's shape calls for, with descriptions (search indexes parameter text too).

import MCPProtocol

enum ToolSchemaShapes {
    static func schema(scope: String, scopeDescription: String, noun: String, shape: ArgumentShape) -> JSONValue {
        let words = noun.replacingUnderscores
        let nounsWords = SyntheticCatalog.plural(words)
        let identifier = "\(noun)_id"
        var properties: [(String, JSONValue)] = [(scope, string(scopeDescription))]
        var required: [JSONValue] = [.string(scope)]
        switch shape {
        case .createFields:
            properties.append(("title", string("Title or name of the new \(words)")))
            properties.append(("fields", object("Other fields to set, by field name")))
            required.append("title")
        case .updateFields:
            properties.append((identifier, string("ID of the \(words) to update")))
            properties.append(("fields", object("Fields to change, by field name")))
            required.append(.string(identifier))
        case .identified:
            properties.append((identifier, string("ID of the \(words)")))
            required.append(.string(identifier))
        case .collection:
            properties.append(("limit", integer("Maximum number of \(nounsWords) to return", maximum: 100)))
            properties.append(("cursor", string("Paging cursor from the previous call")))
            properties.append(("since", ["type": "string", "format": "date-time",
                                         "description": .string("Only \(nounsWords) changed after this time")]))
        case .search:
            properties.append(("query", string("Keywords to match against \(nounsWords)")))
            properties.append(("filters", object("Field filters, e.g. {\"status\": \"open\"}")))
            properties.append(("limit", integer("Maximum number of results", maximum: 50)))
            required.append("query")
        case .source:
            properties.append(("source_path", string("Local file to read the \(nounsWords) from")))
            properties.append(("on_conflict", enumeration(["skip", "overwrite", "fail"], "What to do with existing items")))
            required.append("source_path")
        case .destination:
            properties.append(("destination_path", string("Local path to write to")))
            properties.append(("format", enumeration(["json", "csv"], "Output format")))
            required.append("destination_path")
        case .recipients:
            properties.append((identifier, string("ID of the \(words) to share")))
            properties.append(("recipients", ["type": "array", "items": ["type": "string"],
                                              "description": "Email addresses or group names"]))
            properties.append(("permission", enumeration(["view", "comment", "edit"], "Access level to grant")))
            required.append(.string(identifier))
            required.append("recipients")
        }
        return [
            "type": "object",
            "properties": .object(JSONObject(properties)),
            "required": .array(required),
        ]
    }

    static func string(_ description: String) -> JSONValue {
        ["type": "string", "description": .string(description)]
    }

    static func object(_ description: String) -> JSONValue {
        ["type": "object", "description": .string(description)]
    }

    static func integer(_ description: String, maximum: Int) -> JSONValue {
        ["type": "integer", "minimum": 1, "maximum": .int(maximum), "description": .string(description)]
    }

    static func enumeration(_ values: [String], _ description: String) -> JSONValue {
        ["type": "string", "enum": .array(values.map { .string($0) }), "description": .string(description)]
    }
}
