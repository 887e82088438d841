// Finds the bytes a JSON string must escape (quote, backslash, controls) eight at a time, so
// the writer can copy runs without them as whole words. Words are read little-endian: byte i
// of the text is byte i of the integer. Each mask has the high bit set in
// exactly the bytes it names: no borrow crosses bytes, so there are no false positives.

enum JSONEscapeMask {
    private static let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// Quotes, backslashes and bytes below 0x20.
    static func specials(in word: UInt64) -> UInt64 {
        quotesAndBackslashes(in: word) | controls(in: word)
    }

    static func quotesAndBackslashes(in word: UInt64) -> UInt64 {
        zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
    }

    /// Bytes below 0x20: (b & 0x7F) + 0x60 reaches 0x80 iff b & 0x7F ≥ 0x20.
    static func controls(in word: UInt64) -> UInt64 {
        ~(((word & low) &+ 0x6060_6060_6060_6060) | word) & high
    }

    /// Bytes that are 0.
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & low) &+ low) | word) & high
    }
}
