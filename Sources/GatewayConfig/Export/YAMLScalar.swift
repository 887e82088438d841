// How the YAML emitter writes one scalar so that it reads back as the same text and type. A
// string is plain only when no reader could take it for anything else (a number, a boolean,
// null, an indicator, a comment), a literal block (`|`, `|-`) when it is several ordinary
// lines, and double-quoted (YAMLQuoting) otherwise. The test for "could be a number" is the
// decoder's own (Swift's Int and Double), since `arguments` values are typed by it.

import MCPProtocol

enum YAMLScalar {
    enum Representation: Equatable {
        /// Written after `key: ` or `- ` on the same line.
        case inline(String)
        /// A block scalar: the indicator after `key: `, then each line indented (empty lines stay empty).
        case literal(indicator: String, lines: [String])
    }

    /// A scalar or an empty collection as YAML writes it.
    static func representation(of value: JSONValue) -> Representation {
        switch value {
        case .null: return .inline("null")
        case .bool(let flag): return .inline(flag ? "true" : "false")
        case .int(let number): return .inline(String(number))
        // The shortest text Double reads back exactly; "1.0" stays a double in `arguments`.
        case .double(let number): return .inline(number.isFinite ? number.description : "null")
        case .string(let text): return string(text)
        case .array: return .inline("[]")
        case .object: return .inline("{}")
        case .raw(let raw): return (try? raw.parsed()).map(representation) ?? .inline("null")
        }
    }

    static func string(_ text: String) -> Representation {
        if isPlain(text, asKey: false) { return .inline(text) }
        return literal(text) ?? .inline(YAMLQuoting.doubleQuoted(text))
    }

    /// A mapping key: plain or double-quoted, never a block.
    static func key(_ text: String) -> String {
        isPlain(text, asKey: true) ? text : YAMLQuoting.doubleQuoted(text)
    }

    /// One line of text, plain or double-quoted (for comments).
    static func singleLine(_ text: String) -> String {
        isPlain(text, asKey: false) ? text : YAMLQuoting.doubleQuoted(text)
    }

    /// Plain only for text made of characters that mean nothing to YAML, starting with a letter,
    /// `/`, `_` or `$` (or digits followed by letters only, like "30s" and "10MiB"), and not a word
    /// any YAML version or the decoder reads as a boolean, null or number.
    static func isPlain(_ text: String, asKey: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, last != " ", last != ":" else { return false }
        guard scalars.allSatisfy({ plainCharacters.contains($0) || (!asKey && ($0 == ":" || $0 == " ")) }),
              !text.contains(": ") else { return false }
        let digitsThenLetters = first.properties.numericType != nil
            && text.drop(while: \.isASCIIDigit).allSatisfy(\.isASCIILetter) && text.contains(where: \.isASCIILetter)
        guard first.properties.isAlphabetic || "/_$".unicodeScalars.contains(first) || digitsThenLetters else { return false }
        guard !reservedWords.contains(text.lowercased()) else { return false }
        return Int(text) == nil && Double(text) == nil
    }

    /// ASCII letters and digits and the punctuation that is no YAML indicator inside a scalar.
    private static let plainCharacters: Set<Unicode.Scalar> = {
        var characters = Set("_-./@+=$~()%".unicodeScalars)
        for range in [("a", "z"), ("A", "Z"), ("0", "9")] {
            guard let low = range.0.unicodeScalars.first?.value, let high = range.1.unicodeScalars.first?.value else { continue }
            for value in low...high { if let scalar = Unicode.Scalar(value) { characters.insert(scalar) } }
        }
        return characters
    }()

    /// YAML 1.1's booleans and YAML's nulls (1.2's are a subset).
    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    /// A literal block for text of several lines that needs no escape: the first line starts with
    /// a character (so the block's indentation is found from it), no line is only blanks, and it
    /// ends with at most one line break (`|` keeps one, `|-` none; more would take `|+`, whose
    /// kept blank lines the blank line between sections would add to).
    static func literal(_ text: String) -> Representation? {
        guard text.contains("\n") else { return nil }
        var body = Substring(text)
        var indicator = "|-"
        if body.hasSuffix("\n") {
            body = body.dropLast()
            indicator = "|"
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first?.unicodeScalars.first, first != " ", !body.hasSuffix("\n") else { return nil }
        for line in lines {
            guard line.unicodeScalars.allSatisfy(YAMLQuoting.isPrintable) else { return nil }
            if !line.isEmpty && line.unicodeScalars.allSatisfy({ $0 == " " }) { return nil }
        }
        return .literal(indicator: indicator, lines: lines)
    }
}
