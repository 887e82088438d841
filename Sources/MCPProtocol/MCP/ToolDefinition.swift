// A backend tool as listed by `tools/list`: the fields the gateway reads, decoded, and the
// whole object kept as bytes so it can be relayed without loss.

public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String
    public var inputSchema: RawJSON
    public var annotations: RawJSON?
    /// The tool object exactly as the backend sent it.
    public var raw: RawJSON

    public init(name: String, title: String? = nil, description: String, inputSchema: RawJSON,
                annotations: RawJSON? = nil, raw: RawJSON? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.annotations = annotations
        self.raw = raw ?? RawJSON(JSONWriter.encode(.object(JSONObject([
            ("name", .string(name)), ("description", .string(description)), ("inputSchema", .raw(inputSchema)),
        ]))))
    }

    /// Reads one page of a `tools/list` result: the tools and the next cursor, if any.
    public static func parsePage(_ result: [UInt8]) throws(JSONParseError) -> (tools: [ToolDefinition], nextCursor: String?) {
        let members = try JSONScanner.members(of: result)
        var tools: [ToolDefinition] = []
        var cursor: String?
        for member in members {
            switch member.key {
            case "tools":
                for element in try JSONScanner.elements(of: result, in: member.range) {
                    if let tool = try parseTool(result, element) { tools.append(tool) }
                }
            case "nextCursor":
                cursor = JSONScanner.string(in: result, range: member.range)
            default:
                continue
            }
        }
        return (tools, cursor.flatMap { $0.isEmpty ? nil : $0 })
    }

    public static func parseTool(_ bytes: [UInt8], _ range: Range<Int>) throws(JSONParseError) -> ToolDefinition? {
        let members = try JSONScanner.members(of: bytes, in: range)
        var name: String?
        var title: String?
        var description = ""
        var schema = RawJSON(string: "{\"type\":\"object\"}")
        var annotations: RawJSON?
        for member in members {
            switch member.key {
            case "name": name = JSONScanner.string(in: bytes, range: member.range)
            case "title": title = JSONScanner.string(in: bytes, range: member.range)
            case "description": description = JSONScanner.string(in: bytes, range: member.range) ?? ""
            case "inputSchema": schema = RawJSON(bytes[member.range])
            case "annotations": annotations = RawJSON(bytes[member.range])
            default: continue
            }
        }
        guard let name, !name.isEmpty else { return nil }
        return ToolDefinition(name: name, title: title, description: description, inputSchema: schema,
                              annotations: annotations, raw: RawJSON(bytes[range]))
    }

    /// Top-level parameter names and descriptions, for the search index.
    public func parameters() -> [(name: String, description: String)] {
        guard let schema = try? inputSchema.parsed(), let properties = schema["properties"]?.objectValue else { return [] }
        return properties.members.map { member in
            (member.key, member.value["description"]?.stringValue ?? "")
        }
    }

    /// Whether the annotations mark the tool read-only.
    public var isReadOnly: Bool {
        guard let annotations, let value = try? annotations.parsed() else { return false }
        return value["readOnlyHint"]?.boolValue ?? false
    }

    /// Whether the annotations say a second call with the same arguments does no more than the
    /// first: read-only, or `idempotentHint` (which the spec defines for tools that write).
    public var isIdempotent: Bool {
        guard let annotations, let value = try? annotations.parsed() else { return false }
        return value["readOnlyHint"]?.boolValue == true || value["idempotentHint"]?.boolValue == true
    }
}
