// Turns a capability into the MCP tool the catalog lists: name, description, input schema, annotations
// from metadata (readOnlyHint and friends), and category and tags in `_meta` for search.

import MCPProtocol

enum CapabilityToolBuilder {
    static func tool(for definition: CapabilityDefinition) -> ToolDefinition {
        let annotations = annotationsObject(definition)
        var raw = JSONObject([
            ("name", .string(definition.name)),
            ("description", .string(definition.description)),
            ("inputSchema", definition.inputSchema),
            ("annotations", annotations),
        ])
        var meta = JSONObject()
        if let category = definition.metadata.category { meta["category"] = .string(category) }
        if !definition.metadata.tags.isEmpty { meta["tags"] = .array(definition.metadata.tags.map { .string($0) }) }
        if meta.count > 0 { raw["_meta"] = .object(meta) }
        return ToolDefinition(
            name: definition.name, description: definition.description,
            inputSchema: RawJSON(JSONWriter.encode(definition.inputSchema)),
            annotations: RawJSON(JSONWriter.encode(annotations)), raw: RawJSON(JSONWriter.encode(.object(raw))))
    }

    /// MCP hints; destructiveHint is only meaningful (and only sent) for tools that are not read-only.
    static func annotationsObject(_ definition: CapabilityDefinition) -> JSONValue {
        let metadata = definition.metadata
        let readOnly = definition.isReadOnly
        var object = JSONObject([("readOnlyHint", .bool(readOnly))])
        if !readOnly {
            object["destructiveHint"] = .bool(metadata.destructive ?? (definition.primary.method == "DELETE"))
        }
        object["idempotentHint"] = .bool(definition.isIdempotent)
        object["openWorldHint"] = .bool(metadata.openWorld ?? true)
        return .object(object)
    }
}

extension CapabilityDefinition {
    /// The MCP tool this capability is listed as.
    public var toolDefinition: ToolDefinition { CapabilityToolBuilder.tool(for: self) }

    /// The MCP tool annotations (readOnlyHint, destructiveHint, idempotentHint, openWorldHint).
    public var annotations: JSONValue { CapabilityToolBuilder.annotationsObject(self) }
}
