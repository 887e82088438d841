// Media types in Accept and Content-Type headers, matched on their bytes: runs on every POST,
// and `String.contains` on a lowercased copy goes through Foundation's NSString search on Linux.

enum AcceptHeader {
    /// True if `header` contains `mediaType` (lowercase ASCII), ignoring ASCII case.
    static func lists(_ header: String?, _ mediaType: StaticString) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { haystack in
            guard mediaType.utf8CodeUnitCount > 0, haystack.count >= mediaType.utf8CodeUnitCount else { return false }
            return (0...(haystack.count - mediaType.utf8CodeUnitCount)).contains { has(mediaType, in: haystack, at: $0) }
        }
    }

    /// True if `header` contains both media types (lowercase ASCII), in one pass over it.
    static func lists(_ header: String?, both first: StaticString, and second: StaticString) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { haystack in
            var (sawFirst, sawSecond) = (false, false)
            for start in haystack.indices {
                if !sawFirst && has(first, in: haystack, at: start) {
                    sawFirst = true
                } else if !sawSecond && has(second, in: haystack, at: start) {
                    sawSecond = true
                }
                if sawFirst && sawSecond { return true }
            }
            return false
        }
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
