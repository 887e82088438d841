// WordPiece over a BERT vocabulary: each normalised word becomes its longest known prefix, then
// the longest known `##` continuations of the rest; a word that cannot be covered, or is longer
// than 100 characters, becomes the single [UNK] token.

struct WordPieceTokenizer: Sendable {
    /// Vocabulary ids of pieces that start a word.
    let initial: [String: Int32]
    /// Vocabulary ids of `##` pieces, keyed without the `##`.
    let continuation: [String: Int32]
    let unknown: Int32
    /// How many tokens the vocabulary has (ids are 0..<size).
    let size: Int
    /// The longest piece, in Unicode scalars: no longer candidate is ever looked up.
    let longestPiece: Int
    static let maxWordLength = 100

    /// Reads `vocab.txt`: one token a line, the id being the line number.
    init(vocabularyText: String) throws(SearchModelError) {
        var initial: [String: Int32] = [:]
        var continuation: [String: Int32] = [:]
        var longest = 0
        var id: Int32 = 0
        var lines = vocabularyText.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            if line.hasPrefix("##") && line.count > 2 {
                let piece = String(line.dropFirst(2))
                continuation[piece] = id
                longest = max(longest, piece.unicodeScalars.count)
            } else if !line.isEmpty {
                initial[String(line)] = id
                longest = max(longest, line.unicodeScalars.count)
            }
            id += 1
        }
        guard let unknown = initial["[UNK]"] else { throw .malformed("vocab.txt has no [UNK] token") }
        self.initial = initial
        self.continuation = continuation
        self.unknown = unknown
        self.longestPiece = longest
        self.size = Int(id)
    }

    /// The vocabulary ids of `text`, without [CLS]/[SEP].
    func ids(for text: String) -> [Int32] {
        var ids: [Int32] = []
        BertNormalizer.forEachWord(in: text) { appendPieces(of: $0, to: &ids) }
        return ids
    }

    /// Whether `text` has a word of three letters or more that is a whole token of the vocabulary
    /// and not a stop word: without one, its embedding is made of word pieces ("qq", "##zz") and
    /// says nothing.
    func hasKnownWord(in text: String) -> Bool {
        var known = false
        BertNormalizer.forEachWord(in: text) { word in
            guard !known, word.count >= 3, word.allSatisfy(\.properties.isAlphabetic) else { return }
            var candidate = ""
            candidate.unicodeScalars.append(contentsOf: word)
            if initial[candidate] != nil, !Stopwords.contains(candidate) { known = true }
        }
        return known
    }

    func appendPieces(of word: ArraySlice<Unicode.Scalar>, to ids: inout [Int32]) {
        guard word.count <= Self.maxWordLength else {
            ids.append(unknown)
            return
        }
        let firstPiece = ids.count
        var begin = word.startIndex
        while begin < word.endIndex {
            let table = begin == word.startIndex ? initial : continuation
            var end = min(word.endIndex, begin + longestPiece)
            var found: Int32?
            while end > begin {
                var candidate = ""
                candidate.unicodeScalars.append(contentsOf: word[begin..<end])
                if let id = table[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.removeSubrange(firstPiece...)
                ids.append(unknown)
                return
            }
            ids.append(found)
            begin = end
        }
    }
}
