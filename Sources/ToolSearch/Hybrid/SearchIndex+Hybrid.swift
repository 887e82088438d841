// Hybrid ranking: each tool's BM25F score, divided by the query's best, blended linearly with the
// cosine of the query's and the tool's embeddings. A blend of scores rather than of ranks (reciprocal
// rank fusion) keeps how far apart the scores are: BM25F's margin over the next tool is the strongest
// signal a catalog has, and the static embeddings' cosines are compressed (0.3-0.8 for a good match,
// 0.1-0.2 for nonsense), so their ranks alone would overstate them. A tool the words miss is returned
// only when its cosine reaches `semanticFloor`, so nonsense still finds nothing; a query that
// spells a tool's name keeps that tool first.

import CSearchKernels

extension SearchIndex {
    /// The cosine kernel hybrid searches use: "avx2+fma" where the CPU has them, else "portable".
    public static var cosineKernel: String {
        ToolVectors.portableKernel.load(ordering: .relaxed) ? "portable" : String(cString: mcp_gateway_dot_rows_kernel())
    }

    /// For benchmarks: scan with the portable kernel whatever the CPU offers.
    public static func usePortableCosineKernel(_ portable: Bool) {
        ToolVectors.portableKernel.store(portable, ordering: .relaxed)
    }

    func blended(_ accumulator: ScoreAccumulator, query: String, queryVector: [Float], vectors: ToolVectors,
                 limit: Int, filter: DocumentFilter?) -> [SearchHit] {
        let lexical = UnsafeBufferPointer(accumulator.scores)
        var best: Float = 0
        for document in accumulator.touched { best = max(best, lexical[Int(document)]) }
        let inverseBest: Float = best > 0 ? 1 / best : 0
        let semanticWeight = Float(parameters.semanticWeight)
        let lexicalWeight = 1 - semanticWeight
        let floor = Float(parameters.semanticFloor)
        var candidates: [Int32] = []
        let exact = exactNames[Self.nameKey(query)] ?? []
        var fused = [Float](repeating: 0, count: count)
        return fused.withUnsafeMutableBufferPointer { fused in
            vectors.cosines(of: queryVector, into: fused)
            for document in 0..<count {
                let words = lexical[document] * inverseBest
                let cosine = fused[document]
                guard words > 0 || cosine >= floor else {
                    fused[document] = 0
                    continue
                }
                fused[document] = (lexicalWeight * words + semanticWeight * max(0, cosine)) * prior[document]
                candidates.append(Int32(document))
            }
            // Above any blend (at most 1): the name the query spells.
            for document in exact { fused[Int(document)] += 1 }
            return candidates.withUnsafeBufferPointer { candidates in
                select(candidates: candidates, scores: UnsafeBufferPointer(fused), limit: limit, filter: filter)
            }
        }
    }
}
