// Builders for the CallToolResults the gateway itself produces (meta-tool answers and
// errors): structured content plus the same JSON as one compact text block.

import MCPProtocol

public enum ToolResult {
    public static func structured(_ value: JSONValue) -> [UInt8] {
        structured(json: JSONWriter.encode(value))
    }

    /// The same for an object already written as JSON.
    public static func structured(json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count * 2 + json.count / 4 + 64)
        out.append(contentsOf: "{\"content\":[{\"type\":\"text\",\"text\":".utf8)
        json.withUnsafeBufferPointer { JSONWriter.writeString(utf8: $0, into: &out) }
        out.append(contentsOf: "}],\"structuredContent\":".utf8)
        out.append(contentsOf: json)
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func error(_ text: String, structured: JSONValue? = nil) -> [UInt8] {
        var result = JSONObject()
        result["content"] = [["type": "text", "text": .string(text)]]
        if let structured { result["structuredContent"] = structured }
        result["isError"] = true
        return JSONWriter.encode(.object(result))
    }
}
