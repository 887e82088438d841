// Hybrid ranking: embeddings find a tool the query shares no word with, exact names stay on top,
// nonsense still finds nothing, scores stay monotone, filters hold, the user's own tools win a
// near tie with a built-in one, and the int8 tool vectors keep the cosines.

import Testing
@testable import ToolSearch

@Suite struct HybridSearchTests {
    private static let catalog: [SearchDocument] = [
        SearchDocument(server: "weather", name: "get_forecast", description: "Weather forecast for a location.",
                       parameters: [SearchParameter(name: "latitude"), SearchParameter(name: "longitude")]),
        SearchDocument(server: "filesystem", name: "read_file", description: "Read the complete contents of a file.",
                       parameters: [SearchParameter(name: "path")]),
        SearchDocument(server: "filesystem", name: "write_file", description: "Create a new file or overwrite an existing one.",
                       parameters: [SearchParameter(name: "path"), SearchParameter(name: "content")]),
        SearchDocument(server: "filesystem", name: "read_text_file", description: "Read a text file with an encoding.",
                       parameters: [SearchParameter(name: "path"), SearchParameter(name: "encoding")]),
        SearchDocument(server: "browser", name: "screenshot", description: "Capture an image of the current page.",
                       parameters: [SearchParameter(name: "fullPage")]),
        SearchDocument(server: "mail", name: "send_email", description: "Send an email message to a recipient.",
                       parameters: [SearchParameter(name: "to"), SearchParameter(name: "subject")]),
    ]

    private static func embedder() throws -> StaticEmbedder { try StaticEmbedder.shared.get() }

    private func names(_ index: SearchIndex, _ query: String, limit: Int = 5, filter: DocumentFilter? = nil) -> [String] {
        index.search(query, limit: limit, filter: filter).map { Self.catalog[$0.document].name }
    }

    @Test func embeddingsFindAToolTheQuerySharesNoWordWith() throws {
        let hybrid = SearchIndex(documents: Self.catalog, parameters: .standard, embedder: try Self.embedder())
        let lexical = SearchIndex(documents: Self.catalog, parameters: .standard)
        #expect(hybrid.mode == .hybrid && lexical.mode == .lexical)
        // No word of the query is in get_forecast's fields ("weather" is not asked, "rain" is).
        #expect(names(lexical, "will it rain in Oslo tomorrow").isEmpty)
        #expect(names(hybrid, "will it rain in Oslo tomorrow").first == "get_forecast")
        #expect(names(hybrid, "take a picture of the website").first == "screenshot")
    }

    @Test func aQueryThatSpellsAToolsNameGetsThatToolFirst() throws {
        let index = SearchIndex(documents: Self.catalog, parameters: .standard, embedder: try Self.embedder())
        #expect(names(index, "read_file").first == "read_file")
        #expect(names(index, "read_text_file").first == "read_text_file")
        #expect(names(index, "writeFile").first == "write_file")
    }

    @Test func nonsenseStillFindsNothing() throws {
        let index = SearchIndex(documents: Self.catalog, parameters: .standard, embedder: try Self.embedder())
        #expect(names(index, "qwxzv plorkh").isEmpty)
        #expect(names(index, "qqzzxxvvkk").isEmpty)
        #expect(names(index, "the qqzzxxvvkk of").isEmpty)
        #expect(names(index, "").isEmpty)
        #expect(names(index, "🚀🚀").isEmpty)
    }

    @Test func scoresAreMonotoneAndTheFilterHolds() throws {
        let index = SearchIndex(documents: Self.catalog, parameters: .standard, embedder: try Self.embedder())
        for query in ["read a file", "save some text to disk", "email my boss", "weather"] {
            let scores = index.search(query, limit: 6).map(\.score)
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 }, "\(query): \(scores)")
        }
        let onlyMail = DocumentFilter(visible: Self.catalog.map { $0.server == "mail" })
        #expect(names(index, "read a file", filter: onlyMail).allSatisfy { $0 == "send_email" })
    }

    @Test func theUsersOwnToolWinsANearTieWithABuiltInOne() throws {
        var documents = [
            SearchDocument(server: "capabilities", name: "wikipedia_search", description: "Search Wikipedia articles.",
                           isBuiltIn: true),
            SearchDocument(server: "wiki", name: "wiki_search", description: "Search wiki articles."),
        ]
        for parameters in [RankingParameters.standard] {
            let lexical = SearchIndex(documents: documents, parameters: parameters)
            #expect(lexical.search("search articles", limit: 2).first?.document == 1)
            let hybrid = SearchIndex(documents: documents, parameters: parameters, embedder: try Self.embedder())
            #expect(hybrid.search("search articles", limit: 2).first?.document == 1)
        }
        // Without the prior the built-in tool would have been first (it also matches "wikipedia").
        documents[0].isBuiltIn = false
        var neutral = RankingParameters.standard
        neutral.builtInPrior = 1
        let lexical = SearchIndex(documents: documents, parameters: neutral)
        #expect(lexical.search("search wikipedia articles", limit: 2).first?.document == 0)
    }

    @Test func int8ToolVectorsKeepTheCosines() throws {
        let embedder = try Self.embedder()
        let texts = Self.catalog.map(EmbeddingText.of)
        let vectors = ToolVectors(texts: texts, embedder: embedder)
        let query = embedder.embedding(of: "write some text into a file")
        var cosines = [Float](repeating: 0, count: texts.count)
        cosines.withUnsafeMutableBufferPointer { vectors.cosines(of: query, into: $0) }
        for (row, text) in texts.enumerated() {
            let exact = zip(query, embedder.embedding(of: text)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(cosines[row] - exact) < 0.01, "\(text): \(cosines[row]) vs \(exact)")
        }
    }

    @Test func theEmbeddedTextIsTheNameInWordsTitleAndDescription() {
        let document = SearchDocument(server: "s", name: "getStockQuote", title: "Stock quote",
                                      description: "Latest trading data.")
        #expect(EmbeddingText.of(document) == "get stock quote. Stock quote: Latest trading data.")
    }
}
