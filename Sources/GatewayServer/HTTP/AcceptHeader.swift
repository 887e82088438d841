// Whether an Accept header lists a media type, checked on its bytes: runs on every POST, and
// `String.contains` on a lowercased copy goes through Foundation's NSString search on Linux.

enum AcceptHeader {
    /// True if `header` contains `mediaType` (lowercase ASCII), ignoring ASCII case.
    static func lists(_ header: String?, _ mediaType: StaticString) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { haystack in
            let count = mediaType.utf8CodeUnitCount
            guard count > 0, haystack.count >= count else { return false }
            let needle = UnsafeBufferPointer(start: mediaType.utf8Start, count: count)
            for start in 0...(haystack.count - count) {
                var index = 0
                while index < count, lowercase(haystack[start + index]) == needle[index] { index += 1 }
                if index == count { return true }
            }
            return false
        }
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
