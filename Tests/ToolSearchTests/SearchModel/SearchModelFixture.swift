// Test support: the committed search model and the fixture scripts/search-model/distill.py wrote
// from it (reference tokenisations by the Hugging Face BERT tokenizer, and sentence embeddings).

import Foundation
@testable import ToolSearch

enum SearchModelFixture {
    struct TokenizerCase: Decodable {
        let text: String
        let tokens: [String]
        let ids: [Int32]
    }

    struct EmbeddingCase: Decodable {
        let text: String
        let ids: [Int32]
        let vector: [Float]
    }

    struct Contents: Decodable {
        let tokenizer: [TokenizerCase]
        let embeddings: [EmbeddingCase]
    }

    struct Manifest: Decodable {
        let rows: Int
        let dim: Int
        let embeddings_sha256: String
        let vocab_sha256: String
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelDirectory = repository.appendingPathComponent("Sources/ToolSearch/Resources/SearchModel").path

    static func contents() throws -> Contents {
        let url = repository.appendingPathComponent("scripts/search-model/fixture.json")
        return try JSONDecoder().decode(Contents.self, from: Data(contentsOf: url))
    }

    static func manifest() throws -> Manifest {
        let url = URL(fileURLWithPath: modelDirectory).appendingPathComponent("manifest.json")
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
    }

    /// The committed model, loaded once for all tests.
    static let embedder: Result<StaticEmbedder, SearchModelError> = Result { () throws(SearchModelError) in
        try StaticEmbedder(directory: modelDirectory)
    }

    /// The vocabulary, id -> token, to print tokens rather than ids.
    static let vocabulary: [String] = {
        let text = (try? String(contentsOfFile: modelDirectory + "/vocab.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }()

    static func tokens(_ text: String) throws -> [String] {
        try embedder.get().tokenIDs(for: text).map { vocabulary[Int($0)] }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, aa: Float = 0, bb: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            aa += x * x
            bb += y * y
        }
        return aa > 0 && bb > 0 ? dot / (aa.squareRoot() * bb.squareRoot()) : 0
    }
}
