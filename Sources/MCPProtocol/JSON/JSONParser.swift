// Parses JSON bytes into a `JSONValue` tree. Used for our own small inputs (meta-tool
// arguments, tool schemas at catalog build time), never for relayed payloads.

public enum JSONParser {
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try parse(bytes[...])
    }

    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(string.utf8))
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) -> JSONValue {
        try JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
            let value = try parseValue(&cursor)
            cursor.skipWhitespace()
            guard cursor.atEnd else { throw cursor.error("trailing characters") }
            return value
        }
    }

    static func parseValue(_ cursor: inout JSONCursor) throws(JSONParseError) -> JSONValue {
        cursor.skipWhitespace()
        guard let byte = cursor.peek() else { throw cursor.error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            cursor.depth += 1
            defer { cursor.depth -= 1 }
            if cursor.depth > JSONCursor.maxDepth { throw cursor.error("nesting too deep") }
            cursor.position += 1
            // A repeated key keeps its last value in the first one's place (RepeatedKeyFinder:
            // setting JSONObject's subscript per member scans all members, quadratic in size).
            var pairs: [(String, JSONValue)] = []
            var finder = RepeatedKeyFinder()
            cursor.skipWhitespace()
            if cursor.peek() == UInt8(ascii: "}") { cursor.position += 1; return .object(JSONObject()) }
            while true {
                cursor.skipWhitespace()
                let key = try cursor.parseString()
                cursor.skipWhitespace()
                try cursor.expect(UInt8(ascii: ":"))
                let value = try parseValue(&cursor)
                if let earlier = finder.earlier(key, count: pairs.count, keyAt: { pairs[$0].0 }) {
                    pairs[earlier].1 = value
                } else {
                    pairs.append((key, value))
                }
                cursor.skipWhitespace()
                guard let next = cursor.peek() else { throw cursor.error("unterminated object") }
                cursor.position += 1
                if next == UInt8(ascii: "}") { return .object(JSONObject(pairs)) }
                guard next == UInt8(ascii: ",") else { throw cursor.error("expected ',' or '}'") }
            }
        case UInt8(ascii: "["):
            cursor.depth += 1
            defer { cursor.depth -= 1 }
            if cursor.depth > JSONCursor.maxDepth { throw cursor.error("nesting too deep") }
            cursor.position += 1
            var array: [JSONValue] = []
            cursor.skipWhitespace()
            if cursor.peek() == UInt8(ascii: "]") { cursor.position += 1; return .array(array) }
            while true {
                array.append(try parseValue(&cursor))
                cursor.skipWhitespace()
                guard let next = cursor.peek() else { throw cursor.error("unterminated array") }
                cursor.position += 1
                if next == UInt8(ascii: "]") { return .array(array) }
                guard next == UInt8(ascii: ",") else { throw cursor.error("expected ',' or ']'") }
            }
        case UInt8(ascii: "\""):
            return .string(try cursor.parseString())
        case UInt8(ascii: "t"):
            try cursor.expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try cursor.expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try cursor.expectLiteral("null")
            return .null
        default:
            let range = try cursor.scanNumber()
            let text = String(decoding: UnsafeBufferPointer(rebasing: cursor.bytes[range]), as: UTF8.self)
            if let int = Int(text) { return .int(int) }
            if let double = Double(text) { return .double(double) }
            throw JSONParseError("invalid number", at: range.lowerBound)
        }
    }
}
