// Small text predicates shared by the config parsers, kept ASCII-only where the grammar is ASCII.

extension Character {
    /// `0`-`9` only; `Character.isNumber` would also accept other scripts' digits and fractions.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }

    var isASCIILetter: Bool { isASCII && isLetter }
}

extension StringProtocol {
    /// Drops leading and trailing spaces, tabs and line breaks.
    func trimmingBlanks() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
