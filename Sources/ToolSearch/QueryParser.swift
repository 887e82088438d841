// Reads a natural-language request into weighted terms. Argument values the agent quotes
// (URLs, paths, selectors, quoted strings) name data rather than the tool, so their words count
// less; their shape, though, says which kind of parameter the tool takes ("url", "path").

/// One query term and how much it counts.
struct QueryTerm: Equatable, Sendable {
    var text: String
    var weight: Double
}

enum QueryParser {
    /// Requests are a sentence or two; a pasted document is cut here so it cannot stall search.
    static let maximumQueryLength = 2_048

    static func terms(of query: String, parameters: RankingParameters) -> [QueryTerm] {
        var collected: [QueryTerm] = []
        for segment in segments(of: String(query.prefix(maximumQueryLength))) {
            for chunk in words(of: segment.text) {
                add(chunk: chunk, quoted: segment.isQuoted, parameters: parameters, to: &collected)
            }
        }
        return merged(collected)
    }

    private static func add(chunk: String, quoted: Bool, parameters: RankingParameters, to terms: inout [QueryTerm]) {
        let trimmed = trimPunctuation(chunk)
        guard !trimmed.isEmpty else { return }
        let shape = ValueShape(of: trimmed)
        let isValue = quoted || shape != .plain
        let wordWeight = isValue ? parameters.valueWordWeight : 1.0
        for term in TextAnalyzer.terms(of: trimmed) {
            terms.append(QueryTerm(text: term, weight: wordWeight))
        }
        for hint in shape.impliedTerms {
            terms.append(QueryTerm(text: hint, weight: parameters.valueShapeWeight))
        }
        if !isValue, let whole = TextAnalyzer.wholeIdentifierTerm(trimmed) {
            terms.append(QueryTerm(text: whole, weight: 1.0))
        }
    }

    /// One entry per term, in first-seen order, at the highest weight it was given. A query has
    /// a few dozen terms at most, so a linear probe beats hashing every one.
    private static func merged(_ terms: [QueryTerm]) -> [QueryTerm] {
        var unique: [QueryTerm] = []
        unique.reserveCapacity(terms.count)
        for term in terms {
            if let existing = unique.firstIndex(where: { $0.text == term.text }) {
                unique[existing].weight = max(unique[existing].weight, term.weight)
            } else {
                unique.append(term)
            }
        }
        return unique
    }

    /// The whitespace-separated words of `text`. ASCII text (nearly every query) is split on its
    /// bytes; Character.isWhitespace costs ~350 instructions a character (callgrind).
    static func words(of text: String) -> [String] {
        var words: [String] = []
        let ascii: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            var start = -1
            for index in 0...bytes.count {
                let isSpace = index == bytes.count || isASCIIWhitespace(bytes[index])
                if !isSpace {
                    if start < 0 { start = index }
                } else if start >= 0 {
                    words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    start = -1
                }
            }
            return true
        }
        if ascii == true { return words }
        return text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Leading brackets and trailing sentence punctuation; a leading "." or "#" is kept because
    /// it starts relative paths and CSS selectors.
    private static func trimPunctuation(_ chunk: String) -> String {
        if let trimmed = trimASCIIPunctuation(chunk) { return trimmed }
        var text = Substring(chunk)
        while let first = text.first, leadingPunctuation.contains(first) { text = text.dropFirst() }
        while let last = text.last, trailingPunctuation.contains(last) { text = text.dropLast() }
        return String(text)
    }

    /// `trimPunctuation` on the bytes of an ASCII word; nil when the word is not ASCII.
    private static func trimASCIIPunctuation(_ chunk: String) -> String? {
        let trimmed: String?? = chunk.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var start = 0
            var end = bytes.count
            while start < end, leadingASCIIPunctuation.contains(bytes[start]) { start += 1 }
            while end > start, trailingASCIIPunctuation.contains(bytes[end - 1]) { end -= 1 }
            if start == 0, end == bytes.count { return chunk }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        return trimmed ?? nil
    }

    private static let leadingASCIIPunctuation: [UInt8] = Array("([{<\"'`,".utf8)
    private static let trailingASCIIPunctuation: [UInt8] = Array(")]}>.,;:!?\"'`".utf8)

    // Built once: as literals inside `trimPunctuation` they were hashed into new sets for every
    // word of every query (~60k instructions a search, callgrind).
    private static let leadingPunctuation: Set<Character> = ["(", "[", "{", "<", "\"", "'", "`", "“", "‘", ","]
    private static let trailingPunctuation: Set<Character> = [")", "]", "}", ">", ".", ",", ";", ":", "!", "?", "\"", "'", "`", "”", "’"]

    /// Splits the query into plain and quoted stretches. A quote only opens after a space or
    /// bracket and closes before one, so apostrophes inside words ("what's") stay plain.
    private static func segments(of query: String) -> [(text: String, isQuoted: Bool)] {
        // Without a quote character (0xE2 leads the curly ones) the whole query is one plain
        // stretch; the walk below costs ~4k instructions a query over Characters (callgrind).
        guard query.utf8.contains(where: quoteBytes.contains) else { return [(query, false)] }
        let characters = Array(query)
        var result: [(text: String, isQuoted: Bool)] = []
        var current: [Character] = []
        var closingQuote: Character?
        for (index, character) in characters.enumerated() {
            let previous: Character? = index > 0 ? characters[index - 1] : nil
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if let closing = closingQuote {
                if character == closing, next.map(isBoundary) ?? true {
                    result.append((String(current), true))
                    current.removeAll()
                    closingQuote = nil
                } else {
                    current.append(character)
                }
            } else if let closing = matchingQuote(character), previous.map(isOpening) ?? true,
                let following = next, !following.isWhitespace,
                characters[(index + 1)...].contains(closing)
            {
                result.append((String(current), false))
                current.removeAll()
                closingQuote = closing
            } else {
                current.append(character)
            }
        }
        result.append((String(current), closingQuote != nil))
        return result
    }

    private static let quoteBytes: [UInt8] = [0x22, 0x27, 0x60, 0xE2]

    private static func matchingQuote(_ character: Character) -> Character? {
        switch character {
        case "'": "'"
        case "\"": "\""
        case "`": "`"
        case "‘": "’"
        case "“": "”"
        default: nil
        }
    }

    private static func isOpening(_ character: Character) -> Bool {
        character.isWhitespace || "([{<:=,".contains(character)
    }

    private static func isBoundary(_ character: Character) -> Bool {
        character.isWhitespace || ")]}>.,;:!?".contains(character)
    }
}
