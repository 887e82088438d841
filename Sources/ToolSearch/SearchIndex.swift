// The tool-search index: BM25F over the fields of every tool, with query expansion and a
// name-coverage signal, blended with embedding cosines when built with an embedder (hybrid,
// SearchIndex+Hybrid.swift). Immutable once built, so any number of searches can run concurrently.

public final class SearchIndex: Sendable {
    let parameters: RankingParameters
    let vocabulary: [String: Int32]
    let relatedTerms: [String: [Int32]]
    let tools: InvertedIndex
    /// Per document, how many name words it has (the denominator of name coverage).
    let nameWordCount: [Float]
    /// Per document, the index of its server (for result diversity).
    let serverOfDocument: [Int32]
    let typos: TypoIndex
    let scratch: ScoreAccumulatorPool
    /// Per document, the factor its score is multiplied by: `builtInPrior` for the gateway's own
    /// starter-pack tools, 1 for the user's backends.
    let prior: [Float]
    /// Hybrid mode: the tools' embeddings and the model that embeds queries.
    let semantic: (vectors: ToolVectors, embedder: StaticEmbedder)?
    /// Documents by their name's words joined with spaces ("read file" for read_file), so a query
    /// that is a tool's name keeps that tool on top whatever the embeddings say.
    let exactNames: [String: [Int32]]

    public var count: Int { tools.documentCount }
    public var mode: SearchMode { semantic == nil ? .lexical : .hybrid }

    public convenience init(documents: [SearchDocument]) {
        self.init(documents: documents, parameters: .standard)
    }

    /// With an `embedder` the index ranks in hybrid mode, else lexically; tool vectors found in
    /// `vectorCache` are reused, new ones added to it.
    public init(documents: [SearchDocument], parameters: RankingParameters, embedder: StaticEmbedder? = nil,
                vectorCache: ToolVectorCache? = nil) {
        var vocabulary = Vocabulary()
        let analyzed = documents.map { DocumentAnalyzer.analyze($0, vocabulary: &vocabulary) }
        var related: [String: [Int32]] = [:]
        for (word, others) in SynonymTable.relatedTerms() {
            let present = others.compactMap { vocabulary.ids[$0] }
            if !present.isEmpty { related[word] = present }
        }
        self.parameters = parameters
        self.vocabulary = vocabulary.ids
        self.relatedTerms = related
        self.tools = InvertedIndex(
            termCount: vocabulary.count,
            entries: analyzed.map(\.entries),
            nameWords: analyzed.map(\.nameWords),
            weights: parameters.fields
        )
        self.nameWordCount = analyzed.map { Float($0.nameWords.count) }
        self.typos = TypoIndex(vocabulary: vocabulary.ids)
        self.scratch = ScoreAccumulatorPool(documentCount: documents.count)
        var servers: [String: Int32] = [:]
        self.serverOfDocument = documents.map { document in
            if let id = servers[document.server] { return id }
            let id = Int32(servers.count)
            servers[document.server] = id
            return id
        }
        let builtIn = Float(parameters.builtInPrior)
        self.prior = documents.map { $0.isBuiltIn ? builtIn : 1 }
        self.semantic = embedder.map {
            (ToolVectors(texts: documents.map(EmbeddingText.of), embedder: $0, cache: vectorCache), $0)
        }
        var exactNames: [String: [Int32]] = [:]
        if embedder != nil {
            for (index, document) in documents.enumerated() {
                exactNames[Self.nameKey(document.name), default: []].append(Int32(index))
            }
        }
        self.exactNames = exactNames
    }

    static func nameKey(_ text: String) -> String {
        Tokenizer.pieces(of: text).joined(separator: " ")
    }

    /// The best `limit` tools for `query`, best first; only tools that match at all, and with
    /// a `filter` only the documents it allows. A query that names several needs gets hits for
    /// each (SearchIndex+Needs.swift).
    public func search(_ query: String, limit: Int, filter: DocumentFilter? = nil) -> [SearchHit] {
        guard limit > 0, count > 0 else { return [] }
        let needs = parameters.splitsNeeds ? NeedSplitter.needs(in: query) : []
        guard needs.count > 1 else { return searchOne(query, limit: limit, filter: filter) }
        return searchNeeds(needs, of: query, limit: limit, filter: filter)
    }

    /// The ranking of `query` as one need.
    func searchOne(_ query: String, limit: Int, filter: DocumentFilter?) -> [SearchHit] {
        if let filter, filter.visibleCount == 0 { return [] }
        let concepts = QueryPlan.concepts(
            for: query, vocabulary: vocabulary, relatedTerms: relatedTerms, typos: typos, parameters: parameters)
        let queryVector = semantic.flatMap { semantic -> [Float]? in
            guard semantic.embedder.knowsAWord(in: query) else { return nil }
            var vector: [Float] = []
            return semantic.embedder.embed(query, into: &vector) ? vector : nil
        }
        guard !concepts.isEmpty || queryVector != nil else { return [] }
        return scratch.withAccumulator { accumulator in
            scoreLexically(concepts, into: accumulator)
            if let semantic, let queryVector {
                return blended(accumulator, query: query, queryVector: queryVector, vectors: semantic.vectors,
                               limit: limit, filter: filter)
            }
            for document in accumulator.touched where prior[Int(document)] != 1 {
                accumulator.scale(document, by: prior[Int(document)])
            }
            return select(candidates: accumulator.touched, scores: UnsafeBufferPointer(accumulator.scores),
                          limit: limit, filter: filter)
        }
    }

    /// The best `limit` of `candidates` by `scores`, diversified across servers.
    func select(candidates: UnsafeBufferPointer<Int32>, scores: UnsafeBufferPointer<Float>, limit: Int,
                filter: DocumentFilter?) -> [SearchHit] {
        let decay = Float(parameters.serverDiversityDecay)
        guard decay < 1 else { return TopHits.select(candidates: candidates, scores: scores, limit: limit, filter: filter) }
        return diversified(TopHits.select(candidates: candidates, scores: scores, limit: max(limit * 4, 32), filter: filter),
                           decay: decay, limit: limit)
    }

    /// BM25F of every matching document into `accumulator.scores`, name coverage included.
    private func scoreLexically(_ concepts: [QueryConcept], into accumulator: ScoreAccumulator) {
        let k1 = Float(parameters.k1)
        for concept in concepts {
            // A related word is worth at most what the word the user wrote is worth: a rare
            // synonym must not outscore the common word it stands in for.
            let ceiling = concept.hasLiteral ? tools.inverseDocumentFrequency[Int(concept.members[0].term)] : .infinity
            if concept.members.count == 1 {
                let member = concept.members[0]
                let term = Int(member.term)
                let idf = min(tools.inverseDocumentFrequency[term], ceiling) * member.weight
                let coverage = concept.weight * member.coverage
                tools.forEachPosting(of: term) { document, frequency, inName in
                    accumulator.add(document: document, score: concept.weight * (idf * frequency / (k1 + frequency)),
                                    nameMatch: inName ? coverage : 0)
                }
                continue
            }
            for member in concept.members {
                let term = Int(member.term)
                let idf = min(tools.inverseDocumentFrequency[term], ceiling) * member.weight
                tools.forEachPosting(of: term) { document, frequency, inName in
                    accumulator.offer(document: document, score: idf * frequency / (k1 + frequency),
                                      nameMatch: inName ? member.coverage : 0)
                }
            }
            accumulator.commitConcept(weight: concept.weight)
        }
        let coverageBoost = Float(parameters.nameCoverageBoost)
        if coverageBoost > 0 {
            for document in accumulator.touched {
                let index = Int(document)
                // Most touched tools match no name word: their factor would be exactly 1.
                let matched = accumulator.nameMatches[index]
                guard matched > 0 else { continue }
                let words = nameWordCount[index]
                guard words > 0 else { continue }
                let coverage = min(1, matched / words)
                accumulator.scale(document, by: 1 + coverageBoost * coverage)
            }
        }
    }

    /// Re-ranks so one server cannot fill the whole list when another has a close match:
    /// each further hit from an already represented server is discounted.
    private func diversified(_ hits: [SearchHit], decay: Float, limit: Int) -> [SearchHit] {
        guard let top = hits.first else { return [] }
        // Servers of the listed hits, scanned linearly: a list holds a handful (callgrind: a
        // dictionary per candidate and round cost ~20k instructions a search).
        var listedServers: [Int32] = [serverOfDocument[top.document]]
        var ranked: [SearchHit] = [top]
        var remaining = Array(hits.dropFirst())
        var remainingServers = remaining.map { serverOfDocument[$0.document] }
        while ranked.count < limit, !remaining.isEmpty {
            var bestIndex = 0
            var bestScore = -Double.infinity
            for index in remaining.indices {
                let server = remainingServers[index]
                var seen = 0
                for listed in listedServers where listed == server { seen += 1 }
                let excess = max(0, seen - parameters.diversityFreeHits + 1)
                var factor: Float = 1
                for _ in 0..<excess { factor *= decay }
                let adjusted = remaining[index].score * Double(factor)
                if adjusted > bestScore { bestScore = adjusted; bestIndex = index }
            }
            let chosen = remaining.remove(at: bestIndex)
            listedServers.append(remainingServers.remove(at: bestIndex))
            // The reported score is the one the list is ordered by, so scores stay monotonic.
            ranked.append(SearchHit(document: chosen.document, score: min(bestScore, ranked[ranked.count - 1].score)))
        }
        return ranked
    }
}
