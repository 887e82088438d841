// Postings in compressed-row form: for every term, the documents that contain it with their
// BM25F pseudo-frequency already weighted and length-normalised, so a query only multiplies
// by IDF and saturates.

struct InvertedIndex: Sendable {
    let documentCount: Int
    /// `postingStart[term] ..< postingStart[term + 1]` are the term's postings.
    let postingStart: [Int]
    let postingDocument: [Int32]
    /// Σ over fields of weight × occurrences / length normalisation (BM25F).
    let postingFrequency: [Float]
    /// Whether the term is one of the document's name words (for the name-coverage signal).
    let postingInName: [Bool]
    let inverseDocumentFrequency: [Float]

    /// - Parameters:
    ///   - entries: per document, one `IndexEntry.key` per term occurrence.
    ///   - nameWords: per document, the distinct terms that count as its name words.
    init(termCount: Int, entries: [[UInt64]], nameWords: [[Int32]], weights: FieldWeights) {
        let documentCount = entries.count
        let sortedEntries = entries.map { $0.sorted() }
        let documentFrequency = Self.documentFrequencies(sortedEntries, termCount: termCount)
        var postingStart = [Int](repeating: 0, count: termCount + 1)
        for term in 0..<termCount {
            postingStart[term + 1] = postingStart[term] + documentFrequency[term]
        }
        let postingCount = postingStart[termCount]
        var postingDocument = [Int32](repeating: 0, count: postingCount)
        var postingFrequency = [Float](repeating: 0, count: postingCount)
        var postingInName = [Bool](repeating: false, count: postingCount)
        var cursor = postingStart

        let normalizer = FieldLengthNormalizer(entries: entries, weights: weights)
        for (document, keys) in sortedEntries.enumerated() {
            let fieldScale = normalizer.fieldScales(of: document)
            var index = 0
            while index < keys.count {
                let term = IndexEntry.term(of: keys[index])
                var frequency: Float = 0
                while index < keys.count, IndexEntry.term(of: keys[index]) == term {
                    frequency += fieldScale[IndexEntry.field(of: keys[index])]
                    index += 1
                }
                let slot = cursor[Int(term)]
                postingDocument[slot] = Int32(document)
                postingFrequency[slot] = frequency
                postingInName[slot] = nameWords[document].contains(term)
                cursor[Int(term)] += 1
            }
        }

        self.documentCount = documentCount
        self.postingStart = postingStart
        self.postingDocument = postingDocument
        self.postingFrequency = postingFrequency
        self.postingInName = postingInName
        self.inverseDocumentFrequency = documentFrequency.map { frequency in
            let n = Double(documentCount)
            let df = Double(frequency)
            return Float(naturalLogarithm(1 + (n - df + 0.5) / (df + 0.5)))
        }
    }

    /// Calls `body` with each posting of `term`: document, BM25F pseudo-frequency, and whether
    /// the term is one of the document's name words.
    @inline(__always)
    func forEachPosting(of term: Int, _ body: (Int32, Float, Bool) -> Void) {
        let slots = postingStart[term]..<postingStart[term + 1]
        // The slots lie within all three arrays (built together): no check per posting.
        postingDocument.withUnsafeBufferPointer { documents in
            postingFrequency.withUnsafeBufferPointer { frequencies in
                postingInName.withUnsafeBufferPointer { inName in
                    for slot in slots { body(documents[slot], frequencies[slot], inName[slot]) }
                }
            }
        }
    }

    /// Number of documents each term occurs in; `sortedEntries` groups each document's terms.
    private static func documentFrequencies(_ sortedEntries: [[UInt64]], termCount: Int) -> [Int] {
        var frequency = [Int](repeating: 0, count: termCount)
        for keys in sortedEntries {
            var previous: Int32 = -1
            for key in keys {
                let term = IndexEntry.term(of: key)
                if term != previous {
                    frequency[Int(term)] += 1
                    previous = term
                }
            }
        }
        return frequency
    }
}

/// BM25F's per-field factor weight / (1 − b + b · length / average length), per document.
private struct FieldLengthNormalizer {
    private let fieldCount = SearchField.allCases.count
    private let weights: [FieldWeight]
    private var averageLength: [Double]
    private var fieldLength: [Float]

    init(entries: [[UInt64]], weights: FieldWeights) {
        self.weights = SearchField.allCases.map { weights[$0] }
        fieldLength = [Float](repeating: 0, count: entries.count * fieldCount)
        averageLength = [Double](repeating: 0, count: fieldCount)
        for (document, keys) in entries.enumerated() {
            for key in keys {
                let field = IndexEntry.field(of: key)
                fieldLength[document * fieldCount + field] += 1
                averageLength[field] += 1
            }
        }
        let documents = Double(max(entries.count, 1))
        averageLength = averageLength.map { $0 / documents }
    }

    func fieldScales(of document: Int) -> [Float] {
        (0..<fieldCount).map { field in
            let b = weights[field].lengthNormalization
            let average = averageLength[field]
            let length = Double(fieldLength[document * fieldCount + field])
            let normalization = average > 0 ? 1 - b + b * length / average : 1
            return Float(weights[field].weight / normalization)
        }
    }
}

/// Packs (term, field) into one sortable integer so a document's occurrences group by term.
enum IndexEntry {
    static func key(term: Int32, field: SearchField) -> UInt64 {
        UInt64(UInt32(bitPattern: term)) << 8 | UInt64(field.rawValue)
    }

    static func term(of key: UInt64) -> Int32 {
        Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 8))
    }

    static func field(of key: UInt64) -> Int {
        Int(key & 0xFF)
    }
}
