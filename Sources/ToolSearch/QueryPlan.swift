// Resolves a parsed query against the index vocabulary: each query word becomes a concept
// whose members are the word itself and its related terms, each with its own weight.

struct QueryConcept: Sendable {
    struct Member: Sendable {
        var term: Int32
        var weight: Float
        /// How much this member, found in a tool's name, counts towards name coverage.
        var coverage: Float
    }

    var weight: Float
    /// Whether `members[0]` is the word the query used (it may be absent from the catalog,
    /// leaving only related terms).
    var hasLiteral: Bool
    var members: [Member]
}

enum QueryPlan {
    /// Bounds the work a pasted wall of text can cause; real requests have a dozen words.
    static let maximumConcepts = 64

    static func concepts(
        for query: String,
        vocabulary: [String: Int32],
        relatedTerms: [String: [Int32]],
        typos: TypoIndex? = nil,
        parameters: RankingParameters
    ) -> [QueryConcept] {
        let parsed = QueryParser.terms(of: query, parameters: parameters)
        let literals = parsed.map { vocabulary[$0.text] }
        let queryTermIDs = Set(literals.compactMap { $0 })
        var concepts: [QueryConcept] = []
        for (term, literal) in zip(parsed, literals) where term.weight > 0 {
            var members: [QueryConcept.Member] = []
            if let id = literal {
                members.append(.init(term: id, weight: 1, coverage: 1))
            }
            // A related term the query also states on its own is scored there, not twice.
            for related in relatedTerms[term.text] ?? [] where !queryTermIDs.contains(related) {
                members.append(.init(
                    term: related,
                    weight: Float(parameters.synonymWeight),
                    coverage: Float(parameters.synonymCoverage)))
            }
            // A word the catalog lacks may be a typo of one it has ("githb", "recnt").
            if literal == nil, let typos {
                for corrected in typos.corrections(of: term.text) where !queryTermIDs.contains(corrected) {
                    members.append(.init(term: corrected, weight: Float(parameters.typoWeight), coverage: 1))
                }
            }
            if !members.isEmpty {
                concepts.append(QueryConcept(weight: Float(term.weight), hasLiteral: literal != nil, members: members))
                if concepts.count == maximumConcepts { break }
            }
        }
        return concepts
    }
}
