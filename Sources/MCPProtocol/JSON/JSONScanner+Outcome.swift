// What a reply says about its outcome, read without parsing it: whether a JSON-RPC response
// is an error, and whether a tool result says `isError: true`. For metrics, on every call:
// the response walk stops at the first `result` or `error` member (the encoder writes it
// right after `id`), so a large result is not read.

extension JSONScanner {
    private static let resultKey = Array("result".utf8)
    private static let errorKey = Array("error".utf8)
    private static let isErrorKey = Array("isError".utf8)

    /// Whether the JSON-RPC response in `bytes` carries `error` rather than `result`; false for
    /// anything that is not a response object.
    public static func isErrorResponse(_ bytes: [UInt8]) -> Bool {
        (try? JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
            var isError = false
            _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                if cursor.matches(literal, errorKey) {
                    isError = true
                    return false
                }
                if cursor.matches(literal, resultKey) { return false }
                _ = try cursor.skipValue()
                return true
            }
            return isError
        }) ?? false
    }

    /// Whether the tool result in `bytes` has `"isError": true` at its top level. The member is
    /// usually last, so the result is walked (its values skipped, not parsed).
    public static func isToolError(_ bytes: [UInt8]) -> Bool {
        (try? JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
            var isError = false
            _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                guard cursor.matches(literal, isErrorKey) else {
                    _ = try cursor.skipValue()
                    return true
                }
                let value = try cursor.skipValue()
                isError = value.count == 4 && cursor.bytes[value.lowerBound] == UInt8(ascii: "t")
                return false
            }
            return isError
        }) ?? false
    }
}
