// Tokenisation: identifier splitting, compounds, digits, non-ASCII words and CJK text.
import Testing
@testable import ToolSearch

@Suite struct TokenizerTests {
    private func pieces(_ text: String) -> [String] {
        Tokenizer.tokens(in: text).filter { $0.kind == .piece }.map(\.text)
    }

    @Test func splitsCamelCase() {
        #expect(pieces("getStockPrice") == ["get", "stock", "price"])
        #expect(pieces("HTMLParser") == ["html", "parser"])
        #expect(pieces("listURLs") == ["list", "urls"])
    }

    @Test func splitsSnakeKebabDotsAndSlashes() {
        #expect(pieces("read_multiple_files") == ["read", "multiple", "files"])
        #expect(pieces("tavily-search") == ["tavily", "search"])
        #expect(pieces("fs.read/file") == ["fs", "read", "file"])
    }

    @Test func splitsDigitRunsAndKeepsTheCompound() {
        let tokens = Tokenizer.tokens(in: "base64Encode v2")
        #expect(tokens.filter { $0.kind == .piece }.map(\.text) == ["base", "64", "encode", "v", "2"])
        #expect(tokens.filter { $0.kind == .compound }.map(\.text) == ["base64encode", "v2"])
    }

    @Test func keepsAccentedWordsWhole() {
        #expect(pieces("Café crème") == ["café", "crème"])
        // A decomposed accent (e + U+0301) is a combining mark, not a word break.
        #expect(pieces("cafe\u{301} au lait").count == 3)
    }

    @Test func tokenisesCJKAsCharactersAndBigrams() {
        let tokens = Tokenizer.tokens(in: "天气查询 weather")
        #expect(tokens.filter { $0.kind == .cjkCharacter }.map(\.text) == ["天", "气", "查", "询"])
        #expect(tokens.filter { $0.kind == .cjkBigram }.map(\.text) == ["天气", "气查", "查询"])
        #expect(pieces("天气查询 weather") == ["weather"])
    }

    @Test func survivesAwkwardInput() {
        #expect(Tokenizer.tokens(in: "").isEmpty)
        #expect(Tokenizer.tokens(in: "  --__//  ").isEmpty)
        #expect(pieces("emoji 🚀 rocket") == ["emoji", "rocket"])
        #expect(!Tokenizer.tokens(in: "\u{301}\u{301}x").isEmpty)
    }

    @Test func asciiFastPathMatchesTheUnicodePath() {
        let samples = [
            "getFileInfo_v2 HTMLParser listURLs", "Navigate to a URL: https://example.com/a_b?c=D",
            "maps_direction_bicycling 500km", "ABC", "a1B2c3", "  leading and trailing  ",
        ]
        for sample in samples {
            #expect(Tokenizer.tokens(in: sample) == Tokenizer.unicodeTokens(in: sample), "\(sample)")
        }
    }
}
