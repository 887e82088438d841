// "Did you mean …?" for unknown names (config keys, tool names): close spellings first, then
// names that contain or extend what was typed, then names sharing a word with it.

public enum NameSuggester {
    /// Names longer than this many UTF-8 bytes get no suggestions (callers cap names well
    /// below this; this is the floor under every caller).
    public static let maxSuggestedLength = 1024

    /// Up to `limit` candidates that `name` was probably meant to be, closest first.
    /// Case-insensitive; distances count Characters, not bytes.
    public static func suggestions(for name: String, among candidates: [String], limit: Int) -> [String] {
        // Edit distances cost typed × candidate length: a name this long is no one's typo, and
        // suggesting for it would let one request buy seconds of CPU (checked in O(1), first).
        guard limit > 0, !name.isEmpty, name.utf8.count <= maxSuggestedLength else { return [] }
        let typed = Array(name.lowercased())
        let typedWords = Set(Tokenizer.pieces(of: name).filter { $0.count >= 3 })
        let allowedEdits = typed.count <= 3 ? 1 : (typed.count <= 6 ? 2 : 3)
        var seen = Set<String>()
        var ranked: [(match: Match, index: Int, candidate: String)] = []
        for (index, candidate) in candidates.enumerated() where seen.insert(candidate).inserted {
            let lowered = Array(candidate.lowercased())
            let distance = EditDistance.between(typed, lowered)
            let kind: Match.Kind
            if distance <= allowedEdits {
                kind = .spelling
            } else if isAffix(typed, of: lowered) {
                kind = .affix
            } else {
                let shared = typedWords.intersection(Tokenizer.pieces(of: candidate)).count
                guard shared > 0 else { continue }
                kind = .sharedWords(shared)
            }
            ranked.append((Match(kind: kind, distance: distance), index, candidate))
        }
        ranked.sort { $0.match != $1.match ? $0.match < $1.match : $0.index < $1.index }
        return ranked.prefix(limit).map(\.candidate)
    }

    /// One name is a prefix or substring of the other; the shorter must be long enough to mean
    /// something (two characters for a prefix, three inside a word).
    private static func isAffix(_ typed: [Character], of candidate: [Character]) -> Bool {
        let (short, long) = typed.count <= candidate.count ? (typed, candidate) : (candidate, typed)
        if short.count >= 2, long.starts(with: short) { return true }
        guard short.count >= 3 else { return false }
        return String(long).contains(String(short))
    }

    private struct Match: Comparable {
        enum Kind: Comparable {
            case spelling
            case affix
            /// More shared words rank first, hence the negated count.
            case sharedWords(Int)

            private var order: (Int, Int) {
                switch self {
                case .spelling: (0, 0)
                case .affix: (1, 0)
                case .sharedWords(let count): (2, -count)
                }
            }

            static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.order < rhs.order }
        }

        var kind: Kind
        var distance: Int

        static func < (lhs: Match, rhs: Match) -> Bool {
            lhs.kind != rhs.kind ? lhs.kind < rhs.kind : lhs.distance < rhs.distance
        }
    }
}
