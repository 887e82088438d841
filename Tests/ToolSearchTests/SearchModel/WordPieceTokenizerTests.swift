// The BERT-uncased WordPiece tokenizer against the real vocabulary: hand-written cases, and every
// case of the fixture, whose expected tokens come from the Hugging Face reference tokenizer.

import Testing
@testable import ToolSearch

@Suite struct WordPieceTokenizerTests {
    private func tokens(_ text: String) throws -> [String] { try SearchModelFixture.tokens(text) }

    @Test func lowercasesAndSplitsPunctuation() throws {
        #expect(try tokens("Get the Weather, please!") == ["get", "the", "weather", ",", "please", "!"])
        #expect(try tokens("get_forecast(city)") == ["get", "_", "forecast", "(", "city", ")"])
        #expect(try tokens("a$b+c") == ["a", "$", "b", "+", "c"])
    }

    @Test func stripsAccentsPrecomposedOrNot() throws {
        #expect(try tokens("Héllo Wörld naïve façade") == ["hello", "world", "naive", "facade"])
        #expect(try tokens("e\u{301}cole") == ["ecole"])
        #expect(try tokens("ÉCOLE") == ["ecole"])
    }

    @Test func splitsCJKIdeographsIntoSingleCharacters() throws {
        #expect(try tokens("東京weather") == ["東", "京", "weather"])
        // Kana is not in the ideograph blocks: it stays in its word.
        #expect(try tokens("の") == ["の"])
    }

    @Test func continuesUnknownWordsWithPieces() throws {
        #expect(try tokens("xyzzyq") == ["x", "##y", "##zzy", "##q"])
        #expect(try tokens("unaffordableness") == ["una", "##ff", "##ord", "##able", "##ness"])
    }

    @Test func unknownWhenNoPiecesCoverTheWord() throws {
        #expect(try tokens("🚀🔥 launch") == ["[UNK]", "launch"])
        #expect(try tokens(String(repeating: "a", count: 101)) == ["[UNK]"])
        #expect(try tokens("ＡＢＣ１２３") == ["[UNK]"])
    }

    @Test func dropsControlCharactersAndTreatsWhitespaceAsABreak() throws {
        #expect(try tokens("tab\there\nnew\u{0}line") == ["tab", "here", "new", "##line"])
        #expect(try tokens("") == [])
        #expect(try tokens(" \t\n ") == [])
    }

    @Test(arguments: try SearchModelFixture.contents().tokenizer)
    func matchesTheReferenceTokenizer(_ reference: SearchModelFixture.TokenizerCase) throws {
        let embedder = try SearchModelFixture.embedder.get()
        let actual = try tokens(reference.text)
        #expect(embedder.tokenIDs(for: reference.text) == reference.ids, "\(reference.text): \(actual) vs \(reference.tokens)")
    }
}
