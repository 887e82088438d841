// Ranking behaviour of SearchIndex on small inline catalogs.
import Testing
@testable import ToolSearch

@Suite struct SearchIndexTests {
    private static let catalog: [SearchDocument] = [
        SearchDocument(
            server: "filesystem", serverDescription: "Local file system access", name: "read_file",
            description: "Read the complete contents of a file from the file system.",
            parameters: [SearchParameter(name: "path", description: "Path of the file")]),
        SearchDocument(
            server: "filesystem", serverDescription: "Local file system access", name: "list_directory",
            description: "Get a detailed listing of all files and directories in a specified path.",
            parameters: [SearchParameter(name: "path")]),
        SearchDocument(
            server: "browser", serverDescription: "Browser automation", name: "browser_click",
            description: "Click an element on the page",
            parameters: [SearchParameter(name: "selector", description: "CSS selector for the element")]),
        SearchDocument(
            server: "browser", serverDescription: "Browser automation", name: "browser_navigate",
            description: "Navigate to a URL", parameters: [SearchParameter(name: "url")]),
        SearchDocument(
            server: "websearch", serverDescription: "Web search engine", name: "search",
            description: "Perform a web search query",
            parameters: [SearchParameter(name: "query", description: "Search query")]),
        SearchDocument(
            server: "weather", serverDescription: "天气服务", name: "maps_weather",
            description: "根据城市名称查询指定城市的天气", parameters: [SearchParameter(name: "city")]),
        SearchDocument(
            server: "finance", serverDescription: "Stock market data", name: "getStockQuote",
            title: "Stock quote", description: "Latest trading data for a ticker symbol",
            parameters: [SearchParameter(name: "tickerSymbol", description: "Exchange ticker")],
            tags: ["markets"]),
    ]
    private let index = SearchIndex(documents: catalog)

    private func top(_ query: String) -> String? {
        index.search(query, limit: 5).first.map { Self.catalog[$0.document].name }
    }

    @Test func countsDocuments() {
        #expect(index.count == Self.catalog.count)
        #expect(SearchIndex(documents: []).count == 0)
        #expect(SearchIndex(documents: []).search("anything", limit: 5).isEmpty)
    }

    @Test func findsTheObviousTool() {
        #expect(top("read the contents of ./src/main.py") == "read_file")
        #expect(top("list all files in the folder ./docs") == "list_directory")
        #expect(top("Click the button #submit") == "browser_click")
        #expect(top("open https://example.com") == "browser_navigate")
    }

    @Test func nameHitBeatsDescriptionHit() {
        let documents = [
            SearchDocument(server: "a", name: "notes_tool", description: "Can also export a report"),
            SearchDocument(server: "a", name: "export_report", description: "Writes things out"),
        ]
        let hits = SearchIndex(documents: documents).search("export", limit: 5)
        #expect(hits.map(\.document) == [1, 0])
    }

    @Test func indexesParameterNames() {
        let documents = [
            SearchDocument(server: "a", name: "run", description: "Runs a job",
                           parameters: [SearchParameter(name: "cronExpression")]),
            SearchDocument(server: "a", name: "stop", description: "Stops a job"),
        ]
        let hits = SearchIndex(documents: documents).search("cron", limit: 5)
        #expect(hits.map(\.document) == [0])
    }

    @Test func indexesServerNameAndDescription() {
        #expect(top("websearch") == "search")
        let documents = [
            SearchDocument(server: "alpha", serverDescription: "Kubernetes cluster management", name: "apply"),
            SearchDocument(server: "beta", serverDescription: "Spreadsheet editing", name: "apply"),
        ]
        let sheets = SearchIndex(documents: documents)
        #expect(sheets.search("kubernetes apply", limit: 1).map(\.document) == [0])
        #expect(sheets.search("spreadsheet apply", limit: 1).map(\.document) == [1])
        #expect(sheets.search("beta", limit: 5).map(\.document) == [1])
    }

    @Test func indexesTitleAndTags() {
        #expect(top("quote") == "getStockQuote")
        #expect(top("markets") == "getStockQuote")
    }

    @Test func expandsSynonyms() {
        #expect(top("find pages about llamas") == "search")
        #expect(top("fetch the file contents") == "read_file")
    }

    @Test func matchesChineseText() {
        #expect(top("查询天气") == "maps_weather")
        #expect(top("天气") == "maps_weather")
    }

    @Test func respectsTheLimit() {
        #expect(index.search("file path selector url query", limit: 2).count == 2)
        #expect(index.search("file", limit: 0).isEmpty)
        #expect(index.search("file", limit: -3).isEmpty)
        let everything = index.search("a file path selector url query city ticker", limit: 1_000)
        #expect(everything.count <= Self.catalog.count)
        #expect(everything.allSatisfy { $0.score > 0 })
        #expect(zip(everything, everything.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func emptyOrMeaninglessQueriesFindNothing() {
        #expect(index.search("", limit: 5).isEmpty)
        #expect(index.search("   ", limit: 5).isEmpty)
        #expect(index.search("the of and to", limit: 5).isEmpty)
        #expect(index.search("zyxwvut", limit: 5).isEmpty)
    }

    @Test func nameCoverageFavoursTheToolTheQueryFullyDescribes() {
        let documents = [
            SearchDocument(server: "browser", name: "browser_iframe_click", description: "Click an element in an iframe"),
            SearchDocument(server: "browser", name: "browser_click", description: "Click an element"),
        ]
        #expect(SearchIndex(documents: documents).search("click the element", limit: 1).map(\.document) == [1])
        #expect(SearchIndex(documents: documents).search("click inside the iframe", limit: 1).map(\.document) == [0])
    }

    @Test func argumentValuesDoNotOutweighTheRequest() {
        let documents = [
            SearchDocument(server: "sheets", name: "import_csv", description: "Import a CSV file into a sheet"),
            SearchDocument(server: "fs", name: "get_file_info", description: "Retrieve metadata about a file",
                           parameters: [SearchParameter(name: "path")]),
        ]
        let hits = SearchIndex(documents: documents).search("metadata of ./data/report_csv_1.csv", limit: 2)
        #expect(hits.first?.document == 1)
    }

    @Test func exactToolNameRanksFirst() {
        #expect(top("list_directory") == "list_directory")
        #expect(top("getStockQuote") == "getStockQuote")
    }

    @Test func tiesBreakByDocumentIndexAndRunsAreDeterministic() {
        let twins = (0..<5).map { SearchDocument(server: "s\($0)", name: "same_tool", description: "Identical text") }
        let hits = SearchIndex(documents: twins).search("identical", limit: 5)
        #expect(hits.map(\.document) == [0, 1, 2, 3, 4])
        let first = index.search("read a file or list a directory", limit: 10)
        for _ in 0..<5 {
            #expect(SearchIndex(documents: Self.catalog).search("read a file or list a directory", limit: 10) == first)
        }
    }

    @Test func searchesConcurrently() async {
        let index = self.index
        let expected = index.search("click the element", limit: 3)
        await withTaskGroup(of: [SearchHit].self) { group in
            for _ in 0..<8 {
                group.addTask { index.search("click the element", limit: 3) }
            }
            for await result in group {
                #expect(result == expected)
            }
        }
    }

    /// Pooled scratch space is cleared between queries: the same query repeated, and other
    /// queries in between, always rank the same, also when searches run concurrently.
    @Test func repeatedAndConcurrentQueriesRankTheSame() async {
        let documents = (0..<300).map { index in
            SearchDocument(server: "s\(index % 7)", name: "tool_\(index)_\(["read", "write", "list", "delete"][index % 4])",
                           description: "Does thing \(index % 13) with files and \(["issues", "pages", "rows"][index % 3])")
        }
        let index = SearchIndex(documents: documents)
        let queries = ["read files", "delete rows", "list issues", "write pages thing 3", "files"]
        let first = queries.map { index.search($0, limit: 10).map(\.document) }
        #expect(first.allSatisfy { !$0.isEmpty })
        for _ in 0..<3 {
            #expect(queries.map { index.search($0, limit: 10).map(\.document) } == first)
        }
        let concurrent = await withTaskGroup(of: (Int, [Int]).self) { group in
            for round in 0..<40 {
                group.addTask { (round % queries.count, index.search(queries[round % queries.count], limit: 10).map(\.document)) }
            }
            var all: [(Int, [Int])] = []
            for await result in group { all.append(result) }
            return all
        }
        for (query, documents) in concurrent { #expect(documents == first[query]) }
    }

    @Test func topHitsSelectionMatchesAFullSort() {
        let scores: [Float] = [0.5, 2, 2, 0, 1, 3, 0.5, 2]
        let candidates: [Int32] = [7, 6, 5, 4, 3, 2, 1, 0]
        let expected: [Int] = [5, 1, 2, 7, 4, 0, 6]
        for limit in [1, 3, 7, 100] {
            let hits = scores.withUnsafeBufferPointer { scores in
                candidates.withUnsafeBufferPointer { TopHits.select(candidates: $0, scores: scores, limit: limit) }
            }
            #expect(hits.map(\.document) == Array(expected.prefix(limit)))
        }
    }
}

@Suite struct ResultDiversityTests {
    @Test func oneServerCannotCrowdOutAnotherServersCloseMatch() {
        var documents: [SearchDocument] = (1...6).map {
            SearchDocument(server: "big", name: "get_stock_quote_\($0)", description: "Get the stock price quote for a ticker symbol, variant \($0).")
        }
        documents.append(SearchDocument(server: "small", name: "market_price", description: "Stock market price for a company."))
        let index = SearchIndex(documents: documents)
        let hits = index.search("stock price for a ticker", limit: 5)
        #expect(hits.first.map { documents[$0.document].server } == "big")
        #expect(hits.contains { documents[$0.document].server == "small" })
    }

    @Test func diversityCanBeSwitchedOff() {
        var parameters = RankingParameters()
        parameters.serverDiversityDecay = 1
        let documents = (1...3).map { SearchDocument(server: "a", name: "read_file_\($0)", description: "Read a file.") }
            + [SearchDocument(server: "b", name: "open", description: "Open something.")]
        let index = SearchIndex(documents: documents, parameters: parameters)
        #expect(index.search("read file", limit: 3).allSatisfy { documents[$0.document].server == "a" })
    }
}

@Suite struct TypoToleranceTests {
    let documents = [
        SearchDocument(server: "github", name: "list_issues", description: "List recent issues of a GitHub repository."),
        SearchDocument(server: "files", name: "read_file", description: "Read a file from disk."),
    ]

    @Test func misspelledWordsStillFindTheTool() {
        let index = SearchIndex(documents: documents)
        let hits = index.search("lsit recnt githb isues", limit: 2)
        #expect(hits.first.map { documents[$0.document].name } == "list_issues")
    }

    @Test func correctionsNeedLongEnoughWords() {
        #expect(TypoIndex(vocabulary: ["read": 0]).corrections(of: "rad").isEmpty)
        #expect(TypoIndex(vocabulary: ["issue": 0]).corrections(of: "isue") == [0])
        #expect(TypoIndex(vocabulary: ["repository": 0]).corrections(of: "repostiory") == [0])
        #expect(TypoIndex(vocabulary: ["repository": 0]).corrections(of: "xyzzyrepo").isEmpty)
    }
}
