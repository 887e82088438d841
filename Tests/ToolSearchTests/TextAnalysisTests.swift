// Stemming, stop words, the natural logarithm used for IDF, and how queries are read.
import Testing
@testable import ToolSearch

@Suite struct StemmerTests {
    @Test func conflatesInflections() {
        #expect(Stemmer.stem("files") == Stemmer.stem("file"))
        #expect(Stemmer.stem("directories") == Stemmer.stem("directory"))
        #expect(Stemmer.stem("creating") == Stemmer.stem("create"))
        #expect(Stemmer.stem("created") == Stemmer.stem("create"))
        #expect(Stemmer.stem("running") == "run")
        #expect(Stemmer.stem("crawler") == Stemmer.stem("crawl"))
        #expect(Stemmer.stem("matches") == Stemmer.stem("match"))
        #expect(Stemmer.stem("navigation") == Stemmer.stem("navigate"))
    }

    @Test func leavesShortForeignAndSpecialWordsAlone() {
        #expect(Stemmer.stem("user") == "user")
        #expect(Stemmer.stem("news") == "news")
        #expect(Stemmer.stem("status") == "status")
        #expect(Stemmer.stem("string") == "string")
        #expect(Stemmer.stem("address") == "address")
        #expect(Stemmer.stem("cafés") == "cafés")
        #expect(Stemmer.stem("天气") == "天气")
    }

    @Test func analyzerDropsStopWordsAndSingleLetters() {
        #expect(TextAnalyzer.terms(of: "Please list all the files in a folder") == ["list", "all", "fil", "fold"])
        #expect(TextAnalyzer.identifierTerms(of: "get_file_info") == ["get", "fil", "info", "get_file_info"])
    }

    @Test func naturalLogarithmIsAccurate() {
        let e = 2.718_281_828_459_045
        #expect(abs(naturalLogarithm(1)) < 1e-12)
        #expect(abs(naturalLogarithm(e) - 1) < 1e-12)
        #expect(abs(naturalLogarithm(1000) - 6.907_755_278_982_137) < 1e-12)
        #expect(abs(naturalLogarithm(0.5) + 0.693_147_180_559_945_3) < 1e-12)
    }
}

@Suite struct QueryParserTests {
    private func weights(_ query: String) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: QueryParser.terms(of: query, parameters: .standard).map { ($0.text, $0.weight) })
    }

    @Test func argumentValuesCountLessAndImplyTheirParameter() {
        let parameters = RankingParameters.standard
        let terms = weights("Read the file at ./project/src/main.py and open https://example.com/news")
        #expect(terms["read"] == 1)
        #expect(terms["project"] == parameters.valueWordWeight)
        #expect(terms["path"] == parameters.valueShapeWeight)
        #expect(terms["url"] == parameters.valueShapeWeight)
        // "file" is also written as a word, so it keeps its full weight.
        #expect(terms["fil"] == 1)
    }

    @Test func quotedTextIsAValueButApostrophesAreNot() {
        let parameters = RankingParameters.standard
        let terms = weights("Replace 'Project Overview' with what's new in the browser's #main-nav")
        #expect(terms["project"] == parameters.valueWordWeight)
        #expect(terms["overview"] == parameters.valueWordWeight)
        #expect(terms["replac"] == 1)
        #expect(terms["browser"] == nil)  // stemmed
        #expect(terms["brows"] == 1)
        #expect(terms["selector"] == parameters.valueShapeWeight)
    }

    @Test func recognisesValueShapes() {
        #expect(ValueShape(of: "https://example.com/a") == .url)
        #expect(ValueShape(of: "www.example.com") == .url)
        #expect(ValueShape(of: "docs.example.com") == .url)
        #expect(ValueShape(of: "bob@example.com") == .email)
        #expect(ValueShape(of: "./src/main.py") == .path(endsInFileName: true))
        #expect(ValueShape(of: "~/projects") == .path(endsInFileName: false))
        #expect(ValueShape(of: "README.md") == .fileName)
        #expect(ValueShape(of: "#submit-button") == .selector)
        #expect(ValueShape(of: ".login-btn") == .selector)
        #expect(ValueShape(of: "150.00") == .plain)
        #expect(ValueShape(of: "e.g") == .plain)
        #expect(ValueShape(of: "weather") == .plain)
    }

    @Test func cutsPastedWallsOfText() {
        let wall = String(repeating: "lorem ipsum dolor sit amet ", count: 2_000)
        let terms = QueryParser.terms(of: wall + " uniqueword", parameters: .standard)
        #expect(terms.map(\.text).contains("lorem"))
        #expect(!terms.map(\.text).contains("uniqueword"))
    }

    @Test func exactIdentifierInTheQueryAddsTheWholeName() {
        #expect(weights("call get_file_info now")["get_file_info"] == 1)
    }
}
