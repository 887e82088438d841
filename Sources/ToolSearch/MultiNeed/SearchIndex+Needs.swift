// Search for a query that names several needs: the whole query's best hit first (so a single
// need the splitter cut in two loses nothing at rank 1), then the best hit of each need in the
// order the query names them, then each need's second, and so on; the whole query's ranking
// fills what is left. Each hit says which need it answers. Scores are relative to the best hit
// of the ranking a hit came from (1 = the best for its need), kept monotone down the list.

extension SearchIndex {
    func searchNeeds(_ needs: [String], of query: String, limit: Int, filter: DocumentFilter?) -> [SearchHit] {
        let whole = searchOne(query, limit: limit, filter: filter)
        let perNeed = needs.map { searchOne($0, limit: limit, filter: filter) }
        var result: [SearchHit] = []
        var listed = Set<Int>()
        func append(_ hit: SearchHit, from ranking: [SearchHit], need: String?) {
            guard result.count < limit, listed.insert(hit.document).inserted else { return }
            let best = ranking.first?.score ?? hit.score
            var score = best > 0 ? hit.score / best : 0
            if let previous = result.last?.score { score = min(score, previous) }
            result.append(SearchHit(document: hit.document, score: score, need: need))
        }
        /// The need whose own ranking places `document` highest.
        func need(of document: Int) -> String? {
            var best: (rank: Int, need: String)?
            for (index, ranking) in perNeed.enumerated() {
                if let rank = ranking.firstIndex(where: { $0.document == document }), rank < (best?.rank ?? .max) {
                    best = (rank, needs[index])
                }
            }
            return best?.need
        }
        if let top = whole.first { append(top, from: whole, need: need(of: top.document)) }
        var depth = 0
        while result.count < limit, depth < limit {
            for (index, ranking) in perNeed.enumerated() where depth < ranking.count {
                append(ranking[depth], from: ranking, need: needs[index])
            }
            depth += 1
        }
        for hit in whole { append(hit, from: whole, need: need(of: hit.document)) }
        return result
    }
}
