// Picks the best `limit` scored documents, best first, ties broken by document index so equal
// scores always come back in the same order. `scores` spans every document (the query's scratch).
// A filter (a principal's view) is asked only of candidates that would make the list, so most
// candidates cost it nothing.

enum TopHits {
    static func select(candidates: UnsafeBufferPointer<Int32>, scores: UnsafeBufferPointer<Float>, limit: Int,
                       filter: DocumentFilter? = nil) -> [SearchHit] {
        guard limit > 0 else { return [] }
        if limit > 64 {
            let ranked = candidates.filter { scores[Int($0)] > 0 && (filter?.allows(Int($0)) ?? true) }
                .sorted { ranksBefore($0, $1, scores) }
            return ranked.prefix(limit).map { SearchHit(document: Int($0), score: Double(scores[Int($0)])) }
        }
        var best: [Int32] = []
        best.reserveCapacity(min(limit, candidates.count) + 1)
        // The score a candidate must reach once the list is full: most candidates fall below
        // it, and one comparison settles them.
        var floor: Float = 0
        for candidate in candidates {
            let score = scores[Int(candidate)]
            guard score >= floor, score > 0 else { continue }
            if best.count == limit, let worst = best.last, !ranksBefore(candidate, worst, scores) {
                continue
            }
            if let filter, !filter.allows(Int(candidate)) { continue }
            // Insertion keeps `best` sorted; limits are small, so this beats a heap or a full sort.
            var position = best.count
            while position > 0, ranksBefore(candidate, best[position - 1], scores) {
                position -= 1
            }
            best.insert(candidate, at: position)
            if best.count > limit { best.removeLast() }
            if best.count == limit, let worst = best.last { floor = scores[Int(worst)] }
        }
        return best.map { SearchHit(document: Int($0), score: Double(scores[Int($0)])) }
    }

    private static func ranksBefore(_ lhs: Int32, _ rhs: Int32, _ scores: UnsafeBufferPointer<Float>) -> Bool {
        let left = scores[Int(lhs)]
        let right = scores[Int(rhs)]
        return left != right ? left > right : lhs < rhs
    }
}
