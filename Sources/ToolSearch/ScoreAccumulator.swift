// Per-query scratch space for scoring: a concept (a query word and its related terms) adds the
// best of its members per document, so a synonym never counts on top of the word itself.

struct ScoreAccumulator {
    private(set) var scores: [Float]
    private(set) var nameMatches: [Float]
    /// Documents with any score, in first-touched order.
    private(set) var touched: [Int32] = []
    private var conceptScore: [Float]
    private var conceptNameMatch: [Float]
    private var conceptTouched: [Int32] = []

    init(documentCount: Int) {
        scores = [Float](repeating: 0, count: documentCount)
        nameMatches = [Float](repeating: 0, count: documentCount)
        conceptScore = [Float](repeating: 0, count: documentCount)
        conceptNameMatch = [Float](repeating: 0, count: documentCount)
    }

    mutating func offer(document: Int32, score: Float, nameMatch: Float) {
        let index = Int(document)
        let previous = conceptScore[index]
        if previous == 0 { conceptTouched.append(document) }
        if score > previous { conceptScore[index] = score }
        if nameMatch > conceptNameMatch[index] { conceptNameMatch[index] = nameMatch }
    }

    mutating func commitConcept(weight: Float) {
        for document in conceptTouched {
            let index = Int(document)
            if scores[index] == 0 { touched.append(document) }
            scores[index] += weight * conceptScore[index]
            nameMatches[index] += weight * conceptNameMatch[index]
            conceptScore[index] = 0
            conceptNameMatch[index] = 0
        }
        conceptTouched.removeAll(keepingCapacity: true)
    }
}
