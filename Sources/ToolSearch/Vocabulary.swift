// Interns index terms as dense integer ids while the index is built, and remembers how each
// raw token analysed so repeated words are tokenised and stemmed once.

struct Vocabulary {
    private(set) var ids: [String: Int32] = [:]
    private var analysed: [String: Int32] = [:]
    private static let dropped: Int32 = -1

    var count: Int { ids.count }

    mutating func id(for term: String) -> Int32 {
        if let id = ids[term] { return id }
        let id = Int32(ids.count)
        ids[term] = id
        return id
    }

    /// Term ids of `text` analysed as prose.
    mutating func terms(of text: String) -> [Int32] {
        var result: [Int32] = []
        for token in Tokenizer.tokens(in: text) {
            if let id = termID(for: token) { result.append(id) }
        }
        return result
    }

    /// Term ids of an identifier: its pieces and, when it has several, the whole identifier.
    mutating func identifierTerms(of identifier: String) -> [Int32] {
        var result = terms(of: identifier)
        if let whole = TextAnalyzer.wholeIdentifierTerm(identifier) {
            let id = id(for: whole)
            if !result.contains(id) { result.append(id) }
        }
        return result
    }

    private mutating func termID(for token: Token) -> Int32? {
        // A token's term depends on its text alone, so the text is the cache key.
        if let cached = analysed[token.text] {
            return cached == Vocabulary.dropped ? nil : cached
        }
        guard let term = TextAnalyzer.term(for: token) else {
            analysed[token.text] = Vocabulary.dropped
            return nil
        }
        let id = id(for: term)
        analysed[token.text] = id
        return id
    }
}
