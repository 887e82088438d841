// Writes MCP CallToolResult objects: the response as compact JSON text (plus structuredContent when it
// is a JSON object), or an error result with isError: true and a message the model can act on.

import MCPProtocol

enum CallToolResultBuilder {
    static func success(text: String, structured: JSONValue?, notes: [String] = []) -> RawJSON {
        var content: [JSONValue] = [textBlock(text)]
        content += notes.map(textBlock)
        var result = JSONObject([("content", .array(content))])
        if let structured, case .object = structured { result["structuredContent"] = structured }
        return RawJSON(JSONWriter.encode(.object(result)))
    }

    static func error(_ message: String) -> RawJSON {
        RawJSON(JSONWriter.encode(.object(JSONObject([
            ("content", .array([textBlock(message)])), ("isError", .bool(true)),
        ]))))
    }

    private static func textBlock(_ text: String) -> JSONValue {
        .object(JSONObject([("type", "text"), ("text", .string(text))]))
    }
}
