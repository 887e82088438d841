// The static embedder: Swift's embeddings equal the distillation script's, vectors are unit length,
// close meanings score above unrelated ones, and the shipped copy of the model is found.

import Foundation
import Testing
@testable import ToolSearch

@Suite struct StaticEmbedderTests {
    @Test(arguments: try SearchModelFixture.contents().embeddings)
    func equalsThePythonEmbedding(_ reference: SearchModelFixture.EmbeddingCase) throws {
        let embedder = try SearchModelFixture.embedder.get()
        #expect(embedder.tokenIDs(for: reference.text) == reference.ids)
        let vector = embedder.embedding(of: reference.text)
        #expect(vector.count == reference.vector.count)
        #expect(SearchModelFixture.cosine(vector, reference.vector) >= 0.9999, "\(reference.text)")
    }

    @Test func vectorsAreUnitLength() throws {
        let vector = try SearchModelFixture.embedder.get().embedding(of: "List all files in a directory")
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    @Test func textWithoutKnownTokensIsTheZeroVector() throws {
        let embedder = try SearchModelFixture.embedder.get()
        var vector: [Float] = []
        #expect(!embedder.embed("", into: &vector))
        #expect(vector.count == embedder.dimension && vector.allSatisfy { $0 == 0 })
        #expect(!embedder.embed("🚀", into: &vector))
    }

    @Test func closeMeaningsScoreAboveUnrelatedOnes() throws {
        let embedder = try SearchModelFixture.embedder.get()
        func similarity(_ a: String, _ b: String) -> Float {
            SearchModelFixture.cosine(embedder.embedding(of: a), embedder.embedding(of: b))
        }
        let cases: [(query: String, related: String, unrelated: String)] = [
            ("weather forecast for tomorrow", "get_forecast: Get weather forecast for a location",
             "read_file: Read the complete contents of a file from the file system"),
            ("take a picture of the web page", "screenshot: Take a screenshot of the current page",
             "get_stock_price: Current market price for a ticker symbol"),
            ("how much is Apple stock worth", "get_stock_price: Current market price for a ticker symbol",
             "get_forecast: Get weather forecast for a location"),
            ("remove a folder", "delete_directory: Delete a directory and its contents",
             "send_email: Send an email message to a recipient"),
        ]
        for (query, related, unrelated) in cases {
            #expect(similarity(query, related) > similarity(query, unrelated) + 0.05, "\(query)")
        }
    }

    @Test func theShippedModelIsFoundAndLoads() throws {
        let directory = try #require(SearchModelLocation.directory())
        let shared = try StaticEmbedder.shared.get()
        #expect(shared.dimension == (try SearchModelFixture.manifest().dim))
        #expect(directory.hasSuffix("/SearchModel"))
    }

    @Test func aMissingOrBrokenModelIsAnError() throws {
        #expect(throws: SearchModelError.unreadable("/nonexistent/vocab.txt")) {
            try StaticEmbedder(directory: "/nonexistent")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("search-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("[PAD]\n[UNK]\n".utf8).write(to: directory.appendingPathComponent("vocab.txt"))
        let header: [UInt8] = Array("MGSE".utf8) + [1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0]  // 2 x 4, but no data
        try Data(header).write(to: directory.appendingPathComponent("embeddings.bin"))
        #expect(throws: SearchModelError.malformed("embeddings.bin: 16 bytes for 2 x 4")) {
            try StaticEmbedder(directory: directory.path)
        }
        let complete = header + [0, 0, 0, 0, 0, 0, 0x80, 0x3F] + [UInt8](repeating: 1, count: 8)
        try Data(complete).write(to: directory.appendingPathComponent("embeddings.bin"))
        let tiny = try StaticEmbedder(directory: directory.path)
        #expect(tiny.dimension == 4 && tiny.tokenIDs(for: "anything") == [1])
        #expect(SearchModelLocation.directory(environment: ["MCP_GATEWAY_SEARCH_MODEL": "/elsewhere"]) == "/elsewhere")
    }
}
