// Several needs in one query: where the splitter cuts and where it must not, and what the index
// returns for such a query (each need's best near the top, each hit saying which need it answers).

import Testing
@testable import ToolSearch

@Suite struct NeedSplitterTests {
    @Test(arguments: [
        ("find the latest paper on graph neural networks, summarise it and then save the summary to a file",
         ["find the latest paper on graph neural networks, summarise it", "save the summary to a file"]),
        ("Take a screenshot of the login page. After that, send the picture to my manager by email",
         ["Take a screenshot of the login page", "send the picture to my manager by email"]),
        ("First read the config file, then restart the web server, and finally check the error log",
         ["read the config file", "restart the web server", "check the error log"]),
        ("What is the share price of Apple and list the files in the reports folder",
         ["What is the share price of Apple", "list the files in the reports folder"]),
        ("Create the folder ./out; also download the nightly build archive",
         ["Create the folder ./out", "download the nightly build archive"]),
    ])
    func splitsATaskIntoItsNeeds(_ query: String, _ expected: [String]) {
        #expect(NeedSplitter.needs(in: query) == expected)
    }

    @Test(arguments: [
        "list all files and directories in the path ./src, sorted by name, including their sizes",
        "search and replace text in the readme",
        "write 'id,name,value 1,Test,100' to data.csv and then",
        "Set the User Agent to Mozilla/5.0 (Linux; Android 10; SM-G973F) AppleWebKit/537.36",
        "read ./a/main.py and ./test/b.py at the same time",
        "weather in Oslo",
        "",
    ])
    func keepsOneNeedWhole(_ query: String) {
        #expect(NeedSplitter.needs(in: query).count == 1, "\(NeedSplitter.needs(in: query))")
    }

    @Test func aQuoteIsDataAndAnApostropheIsNotAQuote() throws {
        let mask = QuoteMask("name it 'a, then b' and what's Carlsen's rating")
        let text = "name it 'a, then b' and what's Carlsen's rating"
        let comma = try #require(text.firstIndex(of: ","))
        #expect(mask.isQuoted(comma))
        let apostrophe = try #require(text.range(of: "what's")).lowerBound
        #expect(!mask.isQuoted(text.index(apostrophe, offsetBy: 5)))
        #expect(NeedSplitter.needs(in: text).count == 1)
    }

    private static let catalog: [SearchDocument] = [
        SearchDocument(server: "files", name: "write_file", description: "Write text to a file on disk."),
        SearchDocument(server: "files", name: "read_file", description: "Read a file from disk."),
        SearchDocument(server: "papers", name: "search_papers", description: "Search academic papers by topic."),
        SearchDocument(server: "papers", name: "paper_details", description: "Details of one paper: abstract, authors."),
        SearchDocument(server: "papers", name: "paper_citations", description: "Papers that cite a paper."),
        SearchDocument(server: "papers", name: "papers_by_author", description: "Papers by one author."),
        SearchDocument(server: "mail", name: "send_email", description: "Send an email message."),
    ]

    @Test func eachNeedGetsItsBestToolNearTheTopAndSaysWhichNeedItAnswers() {
        let index = SearchIndex(documents: Self.catalog)
        let query = "find the latest papers about protein folding and then write the summary to a file"
        let hits = index.search(query, limit: 3)
        let names = hits.map { Self.catalog[$0.document].name }
        #expect(names.contains("search_papers") && names.contains("write_file"), "\(names)")
        let writeHit = hits.first { Self.catalog[$0.document].name == "write_file" }
        #expect(writeHit?.need == "write the summary to a file")
        let scores = hits.map(\.score)
        #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 } && scores.first == 1)
        // Searched as one need, the paper tools fill the list before the file tool.
        var whole = RankingParameters.standard
        whole.splitsNeeds = false
        let single = SearchIndex(documents: Self.catalog, parameters: whole).search(query, limit: 3)
        #expect(single.allSatisfy { $0.need == nil })
    }

    @Test func aSingleNeedQueryCarriesNoNeed() {
        let index = SearchIndex(documents: Self.catalog)
        #expect(index.search("read a file from disk", limit: 3).allSatisfy { $0.need == nil })
    }
}
