// `max_result_bytes`: a tool result longer than the limit becomes one text block, the result's
// text cut at a character boundary, followed by a note saying what was cut and why. Images,
// audio and embedded resources cannot be cut and are left out (the note counts them). Structured
// content cannot be cut either: it is dropped, and for a tool that declares an output schema
// the result is marked `isError`, since a result without its structured content would break
// the schema the client was promised (the MCP SDKs refuse such a result outright).

import MCPProtocol

public enum ResultTruncation {
    /// The cut result, or nil when `result` fits (it is relayed as it came).
    public static func cut(_ result: [UInt8], limit: Int, server: String, declaresOutputSchema: Bool) -> [UInt8]? {
        guard result.count > limit else { return nil }
        let parsed = try? JSONParser.parse(result)
        var texts: [String] = []
        var leftOut: [String: Int] = [:]
        for item in parsed?["content"]?.arrayValue ?? [] {
            if item["type"]?.stringValue == "text", let text = item["text"]?.stringValue {
                texts.append(text)
            } else {
                leftOut[item["type"]?.stringValue ?? "unknown", default: 0] += 1
            }
        }
        let hadStructured = parsed?["structuredContent"].map { !$0.isNull } ?? false
        // A result that is not an object with content (a misbehaving server): its bytes as text.
        if parsed?["content"]?.arrayValue == nil {
            texts = [String(decoding: result, as: UTF8.self)]
            leftOut = [:]
        }
        let isError = (parsed?["isError"]?.boolValue ?? false) || (declaresOutputSchema && hadStructured)
        let note = note(limit: limit, size: result.count, server: server, leftOut: leftOut, droppedStructured: hadStructured)
        let whole = texts.joined(separator: "\n")
        // Escaping can make the encoded text longer than its bytes: shrink until it fits.
        var budget = limit - note.utf8.count - 64
        while true {
            let text = prefix(whole, maxBytes: max(0, budget)) + note
            let encoded = encode(text: text, isError: isError)
            if encoded.count <= limit || budget <= 0 { return encoded }
            budget -= encoded.count - limit
        }
    }

    private static func encode(text: String, isError: Bool) -> [UInt8] {
        var object = JSONObject()
        object["content"] = .array([.object(JSONObject([("type", .string("text")), ("text", .string(text))]))])
        if isError { object["isError"] = .bool(true) }
        return JSONWriter.encode(.object(object))
    }

    private static func note(limit: Int, size: Int, server: String, leftOut: [String: Int], droppedStructured: Bool) -> String {
        var parts = ["[mcp-gateway: the result was \(size) bytes, cut to fit max_result_bytes (\(limit)) of server '\(server)'"]
        let items = leftOut.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key) item\($0.value == 1 ? "" : "s")" }
        if !items.isEmpty { parts.append("left out: " + items.joined(separator: ", ")) }
        if droppedStructured { parts.append("structured content dropped") }
        return "\n" + parts.joined(separator: "; ") + "]"
    }

    /// The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a scalar boundary.
    static func prefix(_ text: String, maxBytes: Int) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > maxBytes else { return text }
        var end = maxBytes
        // A continuation byte (10xxxxxx) is inside a scalar: back off to its first byte.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
