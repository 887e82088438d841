// The tokenizer's fast path for pure-ASCII text (nearly every tool description): the same
// splitting rules as `Tokenizer`, applied to UTF-8 bytes without building Unicode scalars.

enum ASCIITokenizer {
    /// Tokens of `bytes`, or nil when the text is not pure ASCII and needs the Unicode path.
    static func tokens(in bytes: UnsafeBufferPointer<UInt8>) -> [Token]? {
        var output: [Token] = []
        output.reserveCapacity(bytes.count / 5)
        var wordStart = -1
        for index in 0...bytes.count {
            let byte: UInt8 = index < bytes.count ? bytes[index] : 0x20
            if byte >= 0x80 { return nil }
            if isAlphanumeric(byte) {
                if wordStart < 0 { wordStart = index }
            } else if wordStart >= 0 {
                appendWord(UnsafeBufferPointer(rebasing: bytes[wordStart..<index]), to: &output)
                wordStart = -1
            }
        }
        return output
    }

    private static func appendWord(_ word: UnsafeBufferPointer<UInt8>, to output: inout [Token]) {
        var start = 0
        var pieces = 0
        for index in 1..<max(word.count, 1) where isBoundary(word, at: index) {
            output.append(Token(text: lowercased(word, start..<index), kind: .piece))
            pieces += 1
            start = index
        }
        output.append(Token(text: lowercased(word, start..<word.count), kind: .piece))
        pieces += 1
        if pieces > 1 {
            output.append(Token(text: lowercased(word, 0..<word.count), kind: .compound))
        }
    }

    /// Same rules as `Tokenizer`: lower→upper, acronym→word ("HTMLParser", but not "URLs"),
    /// and letter↔digit transitions.
    private static func isBoundary(_ word: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let previous = word[index - 1]
        let current = word[index]
        if isDigit(previous) != isDigit(current) { return true }
        guard isUpper(current) else { return false }
        if isLower(previous) { return true }
        guard isUpper(previous), index + 1 < word.count, isLower(word[index + 1]) else { return false }
        return !(index + 2 == word.count && word[index + 1] == UInt8(ascii: "s"))
    }

    private static func lowercased(_ word: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count) { buffer in
            for (offset, index) in range.enumerated() {
                let byte = word[index]
                buffer[offset] = isUpper(byte) ? byte + 32 : byte
            }
            return range.count
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLower(byte) || isUpper(byte) || isDigit(byte) }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
