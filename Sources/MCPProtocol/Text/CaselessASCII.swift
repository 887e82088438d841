// ASCII-case-insensitive matching of header values (media types in Accept and Content-Type)
// on their bytes: it runs on every request, and `String.contains` on a lowercased copy goes
// through Foundation's NSString search on Linux. Needles are lowercase ASCII.

public enum CaselessASCII {
    /// Whether `text` starts with `prefix`.
    public static func hasPrefix(_ text: String?, _ prefix: StaticString) -> Bool {
        guard var text else { return false }
        return text.withUTF8 { has(prefix, in: $0, at: 0) }
    }

    /// Whether `text` contains `needle` anywhere.
    public static func contains(_ text: String?, _ needle: StaticString) -> Bool {
        guard var text else { return false }
        return text.withUTF8 { firstOffset(of: needle, in: $0) != nil }
    }

    /// Where `needle` first starts; positions whose first byte differs are passed over
    /// without a call.
    private static func firstOffset(of needle: StaticString, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard count > 0, haystack.count >= count else { return nil }
        let lead = needle.utf8Start[0]
        for index in 0...(haystack.count - count) where lowercase(haystack[index]) == lead {
            if has(needle, in: haystack, at: index) { return index }
        }
        return nil
    }

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
