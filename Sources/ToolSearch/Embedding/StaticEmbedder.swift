// Text -> L2-normalised vector with the static table distilled from all-MiniLM-L6-v2: the
// WordPiece tokens' rows summed (their SIF weights are baked into the rows), then normalised.
// The shared instance is loaded once per process, on first use.

import Foundation

public final class StaticEmbedder: Sendable {
    /// The model shipped with the gateway, loaded on first access.
    public static let shared: Result<StaticEmbedder, SearchModelError> = {
        guard let directory = SearchModelLocation.directory() else { return .failure(.notFound) }
        return Result { () throws(SearchModelError) in try StaticEmbedder(directory: directory) }
    }()

    public var dimension: Int { table.dimension }
    /// Tells one table from another (a hash of its shape and row scales): cached tool vectors
    /// made with another model are not reused.
    public let modelID: UInt64
    let tokenizer: WordPieceTokenizer
    let table: EmbeddingTable

    /// Loads `embeddings.bin` and `vocab.txt` from `directory`.
    public init(directory: String) throws(SearchModelError) {
        let vocabularyPath = directory + "/vocab.txt"
        let tablePath = directory + "/embeddings.bin"
        guard let vocabulary = FileManager.default.contents(atPath: vocabularyPath) else { throw .unreadable(vocabularyPath) }
        guard let table = FileManager.default.contents(atPath: tablePath) else { throw .unreadable(tablePath) }
        let tokenizer = try WordPieceTokenizer(vocabularyText: String(decoding: vocabulary, as: UTF8.self))
        let parsed = try table.withUnsafeBytes { bytes in
            Result { () throws(SearchModelError) in try EmbeddingTable(bytes: bytes) }
        }.get()
        guard tokenizer.size == parsed.rows else {
            throw .malformed("vocab.txt has \(tokenizer.size) tokens, embeddings.bin \(parsed.rows) rows")
        }
        self.tokenizer = tokenizer
        self.table = parsed
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for word in [UInt32(parsed.rows), UInt32(parsed.dimension)] + parsed.scales.map(\.bitPattern) {
            hash ^= UInt64(word)
            hash = hash &* 0x100_0000_01b3
        }
        self.modelID = hash
    }

    /// The WordPiece ids of `text` (no [CLS]/[SEP]).
    public func tokenIDs(for text: String) -> [Int32] {
        tokenizer.ids(for: text)
    }

    /// Whether `text` has a whole vocabulary word (not a stop word) for its embedding to mean
    /// anything; nonsense such as "qqzzxxvvkk" has none.
    public func knowsAWord(in text: String) -> Bool {
        tokenizer.hasKnownWord(in: text)
    }

    /// The unit-length embedding of `text`; all zeros when no token of it has a vector.
    public func embedding(of text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: table.dimension)
        embed(text, into: &vector)
        return vector
    }

    /// Writes the unit-length embedding of `text` into `vector` (resized to `dimension`);
    /// returns false, with all zeros, when no token of it has a vector.
    @discardableResult
    public func embed(_ text: String, into vector: inout [Float]) -> Bool {
        if vector.count != table.dimension {
            vector = [Float](repeating: 0, count: table.dimension)
        } else {
            for index in vector.indices { vector[index] = 0 }
        }
        let ids = tokenizer.ids(for: text)
        let dimension = table.dimension
        return vector.withUnsafeMutableBufferPointer { sum in
            guard let base = sum.baseAddress else { return false }
            for id in ids where Int(id) < table.rows {
                table.add(row: Int(id), to: base)
            }
            var squares: Float = 0
            for index in 0..<dimension { squares += base[index] * base[index] }
            guard squares > 0 else { return false }
            let inverse = 1 / squares.squareRoot()
            for index in 0..<dimension { base[index] *= inverse }
            return true
        }
    }
}
