// What makes an HTTP header name or value acceptable, so that neither a file nor an argument can break
// the request framing (a line break in a value would start a new header).

enum HeaderRules {
    /// RFC 9110 token characters.
    static func nameProblem(_ name: String) -> String? {
        let symbols: Set<Character> = ["!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~"]
        let isToken = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || symbols.contains($0)) }
        return isToken ? nil : "invalid HTTP header name '\(name)'"
    }

    static func valueProblem(_ value: String) -> String? {
        let isSafe = !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
        return isSafe ? nil : "an HTTP header value cannot contain line breaks or NUL"
    }
}
