// Media types in Accept and Content-Type headers, matched on their bytes: runs on every POST,
// and `String.contains` on a lowercased copy goes through Foundation's NSString search on Linux.

enum AcceptHeader {
    /// True if `header` contains `mediaType` (lowercase ASCII), ignoring ASCII case.
    static func lists(_ header: String?, _ mediaType: StaticString) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { firstOffset(of: mediaType, in: $0, from: 0) != nil }
    }

    /// True if `header` contains both media types (lowercase ASCII), ignoring ASCII case.
    static func lists(_ header: String?, both first: StaticString, and second: StaticString) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { haystack in
            firstOffset(of: first, in: haystack, from: 0) != nil && firstOffset(of: second, in: haystack, from: 0) != nil
        }
    }

    /// Where `needle` first starts at or after `start`; positions whose first byte differs
    /// are passed over without a call.
    private static func firstOffset(of needle: StaticString, in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard count > 0, haystack.count >= count else { return nil }
        let lead = needle.utf8Start[0]
        var index = start
        while index <= haystack.count - count {
            if lowercase(haystack[index]) == lead && has(needle, in: haystack, at: index) { return index }
            index += 1
        }
        return nil
    }

    /// Whether a Content-Type names JSON (`application/json`, any parameters), ASCII case ignored,
    /// without a lowercased copy.
    static func isJSON(_ contentType: String?) -> Bool {
        guard var contentType else { return false }
        return contentType.withUTF8 { has("application/json", in: $0, at: 0) }
    }

    /// Whether `haystack` holds `needle` (lowercase ASCII) at `start`, ignoring ASCII case.
    private static func has(_ needle: StaticString, in haystack: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard start + count <= haystack.count else { return false }
        for index in 0..<count where lowercase(haystack[start + index]) != needle.utf8Start[index] { return false }
        return true
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
