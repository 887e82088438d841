// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) over Characters,
// so "café" and "cafe" differ by one edit however the accent is encoded.

enum EditDistance {
    static func between(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        let width = rhs.count + 1
        // Three rolling rows: the transposition case looks two rows back.
        var twoBack = [Int](repeating: 0, count: width)
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...lhs.count {
            current[0] = i
            for j in 1...rhs.count {
                let substitution = previous[j - 1] + (lhs[i - 1] == rhs[j - 1] ? 0 : 1)
                var best = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, lhs[i - 1] == rhs[j - 2], lhs[i - 2] == rhs[j - 1] {
                    best = min(best, twoBack[j - 2] + 1)
                }
                current[j] = best
            }
            swap(&twoBack, &previous)
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
