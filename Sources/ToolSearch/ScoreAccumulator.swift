// Per-query scratch space for scoring: a concept (a query word and its related terms) adds the
// best of its members per document, so a synonym never counts on top of the word itself.
// The arrays span every document; allocating and zeroing them per query cost more than the
// scoring on a 10,000-tool catalog (callgrind, BENCHMARKS.md), so they are kept in a pool and
// only the entries a query touched are cleared after it.

import Synchronization

final class ScoreAccumulator {
    private(set) var scores: UnsafeMutableBufferPointer<Float>
    private(set) var nameMatches: UnsafeMutableBufferPointer<Float>
    /// Documents with any score, in first-touched order.
    private var touchedList: DocumentList
    private var conceptScore: UnsafeMutableBufferPointer<Float>
    private var conceptNameMatch: UnsafeMutableBufferPointer<Float>
    private var conceptTouched: DocumentList

    var touched: UnsafeBufferPointer<Int32> { touchedList.documents }

    init(documentCount: Int) {
        func zeroed() -> UnsafeMutableBufferPointer<Float> {
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: documentCount)
            buffer.initialize(repeating: 0)
            return buffer
        }
        scores = zeroed()
        nameMatches = zeroed()
        conceptScore = zeroed()
        conceptNameMatch = zeroed()
        touchedList = DocumentList(capacity: documentCount)
        conceptTouched = DocumentList(capacity: documentCount)
    }

    deinit {
        scores.deallocate()
        nameMatches.deallocate()
        conceptScore.deallocate()
        conceptNameMatch.deallocate()
        touchedList.deallocate()
        conceptTouched.deallocate()
    }

    func offer(document: Int32, score: Float, nameMatch: Float) {
        let index = Int(document)
        let previous = conceptScore[index]
        if previous == 0 { conceptTouched.append(document) }
        if score > previous { conceptScore[index] = score }
        if nameMatch > conceptNameMatch[index] { conceptNameMatch[index] = nameMatch }
    }

    /// A concept with one member has no best-of to take: its scores go straight to the totals,
    /// skipping the per-concept pass (callgrind: ~10% of a search over 10,000 tools).
    func add(document: Int32, score: Float, nameMatch: Float) {
        let index = Int(document)
        if scores[index] == 0 { touchedList.append(document) }
        scores[index] += score
        nameMatches[index] += nameMatch
    }

    func commitConcept(weight: Float) {
        for document in conceptTouched.documents {
            let index = Int(document)
            if scores[index] == 0 { touchedList.append(document) }
            scores[index] += weight * conceptScore[index]
            nameMatches[index] += weight * conceptNameMatch[index]
            conceptScore[index] = 0
            conceptNameMatch[index] = 0
        }
        conceptTouched.removeAll()
    }

    /// Multiplies a touched document's score (the name-coverage boost).
    func scale(_ document: Int32, by factor: Float) {
        scores[Int(document)] *= factor
    }

    /// Back to all zeros, by clearing only what the last query wrote.
    func reset() {
        for document in touchedList.documents {
            scores[Int(document)] = 0
            nameMatches[Int(document)] = 0
        }
        touchedList.removeAll()
    }
}

/// A growable list of document numbers in memory the accumulator owns: appends in the
/// scoring loop skip the uniqueness and capacity checks of an Array (callgrind: ~3,000
/// appends a search over 10,000 tools). It starts with room for every document; it grows only
/// if a document is listed twice (a zero contribution leaves a score at zero).
private struct DocumentList {
    private var storage: UnsafeMutableBufferPointer<Int32>
    private var count = 0

    init(capacity: Int) {
        storage = .allocate(capacity: max(capacity, 16))
    }

    var documents: UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(rebasing: storage[..<count])
    }

    mutating func append(_ document: Int32) {
        if count == storage.count {
            let larger = UnsafeMutableBufferPointer<Int32>.allocate(capacity: storage.count * 2)
            _ = larger.initialize(from: storage)
            storage.deallocate()
            storage = larger
        }
        storage[count] = document
        count += 1
    }

    mutating func removeAll() { count = 0 }

    func deallocate() { storage.deallocate() }
}

/// Accumulators for concurrent queries over one index: taken for a query, given back after it.
final class ScoreAccumulatorPool: Sendable {
    private let documentCount: Int
    /// Kept small: one per core is what concurrent searches need; extras are dropped.
    private static let keep = 8
    private let free = Mutex<[Accumulator]>([])

    /// `ScoreAccumulator` is handed out to one query at a time, never shared.
    private struct Accumulator: @unchecked Sendable { let value: ScoreAccumulator }

    init(documentCount: Int) { self.documentCount = documentCount }

    func withAccumulator<Result>(_ body: (ScoreAccumulator) -> Result) -> Result {
        let accumulator = free.withLock { $0.popLast()?.value } ?? ScoreAccumulator(documentCount: documentCount)
        let result = body(accumulator)
        accumulator.reset()
        free.withLock { pool in
            if pool.count < Self.keep { pool.append(Accumulator(value: accumulator)) }
        }
        return result
    }
}
