// Tool vectors reused across index builds: a second build embeds nothing it has seen, reused
// vectors rank exactly as fresh ones, the file round-trips, and a cache of another model or a
// damaged file is not used.

import Testing
@testable import ToolSearch

@Suite struct ToolVectorCacheTests {
    static let texts = ["read file: Read a file from disk.", "send email: Send an email message.",
                        "get forecast: Weather forecast for a location."]

    @Test func aSecondBuildReusesEveryVectorAndRanksTheSame() throws {
        let embedder = try StaticEmbedder.shared.get()
        let cache = ToolVectorCache(modelID: embedder.modelID, dimension: embedder.dimension)
        let fresh = ToolVectors(texts: Self.texts, embedder: embedder, cache: cache)
        #expect(cache.count == 3 && cache.hasNewVectors)
        let reused = ToolVectors(texts: Self.texts, embedder: embedder, cache: cache)
        #expect(!cache.hasNewVectors)
        #expect(reused.values == fresh.values && reused.scales == fresh.scales)
        let uncached = ToolVectors(texts: Self.texts, embedder: embedder)
        #expect(uncached.values == fresh.values && uncached.scales == fresh.scales)
        // One new text: only it is embedded, and the saved file keeps only what the index uses.
        _ = ToolVectors(texts: [Self.texts[0], "write file: Write text to a file."], embedder: embedder, cache: cache)
        #expect(cache.hasNewVectors && cache.count == 4)
        let decoded = ToolVectorCache(decoding: cache.encoded(), modelID: embedder.modelID, dimension: embedder.dimension)
        #expect(decoded.count == 2)
    }

    @Test func theFileRoundTripsAndIsIgnoredForAnotherModelOrWhenDamaged() throws {
        let embedder = try StaticEmbedder.shared.get()
        let cache = ToolVectorCache(modelID: embedder.modelID, dimension: embedder.dimension)
        let built = ToolVectors(texts: Self.texts, embedder: embedder, cache: cache)
        let bytes = cache.encoded()
        #expect(bytes.count == 24 + 3 * (12 + embedder.dimension))
        let decoded = ToolVectorCache(decoding: bytes, modelID: embedder.modelID, dimension: embedder.dimension)
        let rebuilt = ToolVectors(texts: Self.texts, embedder: embedder, cache: decoded)
        #expect(!decoded.hasNewVectors && rebuilt.values == built.values && rebuilt.scales == built.scales)
        #expect(ToolVectorCache(decoding: bytes, modelID: embedder.modelID &+ 1, dimension: embedder.dimension).count == 0)
        #expect(ToolVectorCache(decoding: Array(bytes.dropLast()), modelID: embedder.modelID, dimension: embedder.dimension).count == 0)
        #expect(ToolVectorCache(decoding: Array("MGTV".utf8), modelID: embedder.modelID, dimension: embedder.dimension).count == 0)
        // A cache object of another model is not consulted (nor filled) by a build.
        let other = ToolVectorCache(modelID: embedder.modelID &+ 1, dimension: embedder.dimension)
        _ = ToolVectors(texts: Self.texts, embedder: embedder, cache: other)
        #expect(other.count == 0)
    }
}
