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
            for chunk in segment.text.split(whereSeparator: \.isWhitespace) {
                add(chunk: String(chunk), quoted: segment.isQuoted, parameters: parameters, to: &collected)
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

    /// One entry per term, at the highest weight it was given.
    private static func merged(_ terms: [QueryTerm]) -> [QueryTerm] {
        var order: [String] = []
        var weights: [String: Double] = [:]
        for term in terms {
            if let existing = weights[term.text] {
                weights[term.text] = max(existing, term.weight)
            } else {
                weights[term.text] = term.weight
                order.append(term.text)
            }
        }
        return order.map { QueryTerm(text: $0, weight: weights[$0] ?? 0) }
    }

    /// Leading brackets and trailing sentence punctuation; a leading "." or "#" is kept because
    /// it starts relative paths and CSS selectors.
    private static func trimPunctuation(_ chunk: String) -> String {
        var text = Substring(chunk)
        while let first = text.first, leadingPunctuation.contains(first) { text = text.dropFirst() }
        while let last = text.last, trailingPunctuation.contains(last) { text = text.dropLast() }
        return String(text)
    }

    // Built once: as literals inside `trimPunctuation` they were hashed into new sets for every
    // word of every query (~60k instructions a search, callgrind).
    private static let leadingPunctuation: Set<Character> = ["(", "[", "{", "<", "\"", "'", "`", "“", "‘", ","]
    private static let trailingPunctuation: Set<Character> = [")", "]", "}", ">", ".", ",", ";", ":", "!", "?", "\"", "'", "`", "”", "’"]

    /// Splits the query into plain and quoted stretches. A quote only opens after a space or
    /// bracket and closes before one, so apostrophes inside words ("what's") stay plain.
    private static func segments(of query: String) -> [(text: String, isQuoted: Bool)] {
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
