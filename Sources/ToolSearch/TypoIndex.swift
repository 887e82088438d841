// Typo tolerance for query words the catalog does not contain: vocabulary terms one edit
// away (two for long words), found through a deletion index (the SymSpell idea) so a lookup
// costs a few dictionary probes instead of a scan of the vocabulary. Words are edited as
// Characters; ASCII words (nearly all) as bytes, and deletions are keyed by hash (`Letters`):
// String deletions made this ~10% of a search (callgrind).

struct TypoIndex: Sendable {
    /// Words shorter than this are too ambiguous to correct.
    static let minimumLength = 4
    /// From this length on, two edits are tolerated.
    static let twoEditLength = 8
    private let byDeletion: [UInt64: [Int32]]
    private let terms: [Int32: Letters]

    init(vocabulary: [String: Int32]) {
        var byDeletion: [UInt64: [Int32]] = [:]
        var terms: [Int32: Letters] = [:]
        for (term, id) in vocabulary {
            guard let letters = Letters(term), letters.count >= Self.minimumLength else { continue }
            terms[id] = letters
            byDeletion[letters.key, default: []].append(id)
            for deletion in letters.deletionKeys(twice: false) { byDeletion[deletion, default: []].append(id) }
        }
        self.byDeletion = byDeletion
        self.terms = terms
    }

    /// Vocabulary terms within the tolerated distance of `word`, closest first, at most `limit`.
    func corrections(of word: String, limit: Int = 3) -> [Int32] {
        guard let letters = Letters(word), letters.count >= Self.minimumLength else { return [] }
        let maximum = letters.count >= Self.twoEditLength ? 2 : 1
        var probes = letters.deletionKeys(twice: maximum == 2)
        probes.insert(letters.key)
        var found: [Int32: Int] = [:]
        for probe in probes {
            for id in byDeletion[probe] ?? [] where found[id] == nil {
                guard let term = terms[id] else { continue }
                let distance = letters.distance(to: term, bound: maximum)
                if distance <= maximum { found[id] = distance }
            }
        }
        return found.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(limit).map(\.key)
    }

    /// Optimal string alignment distance (a swap of neighbours counts as one edit), with an
    /// early exit above `bound`.
    static func distance<Unit: Equatable>(_ a: [Unit], _ b: [Unit], bound: Int) -> Int {
        if abs(a.count - b.count) > bound { return bound + 1 }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...max(b.count, 1) where j <= b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > bound { return bound + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
