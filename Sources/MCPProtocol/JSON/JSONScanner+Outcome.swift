// What a reply says about its outcome, read without parsing it: whether a JSON-RPC response
// is an error, and whether a tool result says `isError: true`. For metrics, on every call, so
// each has a fast path measured with callgrind (a walk over a small relayed result cost ~1.5k
// instructions a call; the fast paths ~100): a response the gateway's own encoder wrote is
// read at its fixed prefix, and a result without the bytes `isError` is not walked at all.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONScanner {
    private static let resultKey = Array("result".utf8)
    private static let errorKey = Array("error".utf8)
    private static let isErrorKey = Array("isError".utf8)

    /// `{"jsonrpc":"2.0","id":`, how JSONRPCEncoder begins every response.
    private static let encoderPrefix = Array(#"{"jsonrpc":"2.0","id":"#.utf8)

    /// Whether the JSON-RPC response in `bytes` carries `error` rather than `result`; false for
    /// anything that is not a response object.
    public static func isErrorResponse(_ bytes: [UInt8]) -> Bool {
        if let answer = encodedResponseIsError(bytes) { return answer }
        return (try? JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
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

    /// Whether the tool result in `bytes` has `"isError": true` at its top level. A result
    /// without the bytes `isError` has no such member (a key spelled with escapes, as
    /// `"is\u0045rror"`, is not seen: a label, not a decision, depends on it); one with them is
    /// walked, its values skipped, not parsed.
    public static func isToolError(_ bytes: [UInt8]) -> Bool {
        guard contains(bytes, isErrorKey) else { return false }
        return (try? JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
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

    /// The answer read at the fixed shape JSONRPCEncoder writes (`{"jsonrpc":"2.0","id":ID,`
    /// then `"result"` or `"error"`), or nil for any other shape.
    private static func encodedResponseIsError(_ bytes: [UInt8]) -> Bool? {
        bytes.withUnsafeBufferPointer { buffer -> Bool? in
            let prefix = encoderPrefix.count
            guard buffer.count > prefix + 9, let base = buffer.baseAddress, memcmp(base, encoderPrefix, prefix) == 0 else { return nil }
            var position = prefix
            if buffer[position] == UInt8(ascii: "\"") {
                position += 1
                while position < buffer.count, buffer[position] != UInt8(ascii: "\"") {
                    if buffer[position] == UInt8(ascii: "\\") { return nil }
                    position += 1
                }
                position += 1
            } else {
                while position < buffer.count, buffer[position] != UInt8(ascii: ",") { position += 1 }
            }
            guard position + 8 <= buffer.count, buffer[position] == UInt8(ascii: ","), buffer[position + 1] == UInt8(ascii: "\"") else {
                return nil
            }
            switch buffer[position + 2] {
            case UInt8(ascii: "e"): return buffer[position + 7] == UInt8(ascii: "\"")  // "error"
            case UInt8(ascii: "r"): return false  // "result"
            default: return nil
            }
        }
    }

    /// Whether `isError` occurs in `bytes`: memchr finds each `E` (rare in JSON), then the
    /// bytes around it are compared.
    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        let anchor = 2  // the `E` of `isError`
        guard bytes.count >= needle.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var offset = anchor
            let last = buffer.count - needle.count + anchor
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(needle[anchor]), last - offset + 1) else { return false }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at - anchor, needle, needle.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }
    }
}
