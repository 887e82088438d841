// Turns text into index terms: tokenise, drop stop words and lone ASCII characters, stem.
// Documents and queries go through the same steps so their terms meet.

enum TextAnalyzer {
    /// The term for one token, or nil when the token carries no meaning on its own.
    static func term(for token: Token) -> String? {
        switch token.kind {
        case .cjkCharacter, .cjkBigram:
            return token.text
        case .piece, .compound:
            let text = token.text
            if text.utf8.count == 1, let byte = text.utf8.first, byte < 128 { return nil }
            if Stopwords.contains(text) { return nil }
            return Stemmer.stem(text)
        }
    }

    /// Whether `token` gives a term (what `term(for:)` returns non-nil for, without stemming).
    static func isTerm(_ token: Token) -> Bool {
        switch token.kind {
        case .cjkCharacter, .cjkBigram:
            return true
        case .piece, .compound:
            let text = token.text
            if text.utf8.count == 1, let byte = text.utf8.first, byte < 128 { return false }
            return !Stopwords.contains(text)
        }
    }

    /// Terms of prose (descriptions, titles, queries).
    static func terms(of text: String) -> [String] {
        Tokenizer.tokens(in: text).compactMap(term(for:))
    }

    /// Terms of an identifier: its pieces, plus the whole lower-cased identifier when it has
    /// more than one piece, so a query that quotes the exact name matches it strongly.
    static func identifierTerms(of identifier: String) -> [String] {
        var terms = terms(of: identifier)
        if let whole = wholeIdentifierTerm(identifier), !terms.contains(whole) {
            terms.append(whole)
        }
        return terms
    }

    /// The identifier lower-cased as one term, when it is a multi-piece identifier.
    static func wholeIdentifierTerm(_ identifier: String) -> String? {
        // A word of lower-case ASCII letters (most query words) is one piece: no need to split it.
        if identifier.utf8.allSatisfy({ (0x61...0x7A).contains($0) }) { return nil }
        let pieces = Tokenizer.pieces(of: identifier)
        guard pieces.count > 1 else { return nil }
        return identifier.lowercased()
    }

    /// Stemmed name pieces in order (stop words removed), for name-coverage and phrase signals.
    static func namePieces(of identifier: String) -> [String] {
        Tokenizer.tokens(in: identifier).compactMap { token in
            token.kind == .piece || token.kind == .cjkCharacter ? term(for: token) : nil
        }
    }
}
