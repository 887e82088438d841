// Did-you-mean suggestions and the Character-based edit distance behind them.
import Testing
@testable import ToolSearch

@Suite struct NameSuggesterTests {
    private let keys = ["backends", "server", "servers", "timeout", "rate_limit", "description", "command"]

    @Test func typoFindsTheIntendedName() {
        #expect(NameSuggester.suggestions(for: "backnds", among: keys, limit: 3).first == "backends")
        #expect(NameSuggester.suggestions(for: "timeuot", among: keys, limit: 1) == ["timeout"])
        #expect(NameSuggester.suggestions(for: "Comand", among: keys, limit: 1) == ["command"])
    }

    @Test func closestComesFirstAndLimitHolds() {
        let result = NameSuggester.suggestions(for: "servr", among: keys, limit: 2)
        #expect(result == ["server", "servers"])
        #expect(NameSuggester.suggestions(for: "servr", among: keys, limit: 0).isEmpty)
    }

    @Test func prefixSubstringAndSharedWords() {
        #expect(NameSuggester.suggestions(for: "desc", among: keys, limit: 3) == ["description"])
        #expect(NameSuggester.suggestions(for: "limit", among: keys, limit: 3) == ["rate_limit"])
        #expect(NameSuggester.suggestions(for: "request_timeout_ms", among: keys, limit: 3) == ["timeout"])
        #expect(NameSuggester.suggestions(for: "zzzzzz", among: keys, limit: 3).isEmpty)
    }

    @Test func distanceCountsCharactersNotBytes() {
        #expect(EditDistance.between(Array("café"), Array("cafe")) == 1)
        #expect(EditDistance.between(Array("cafe\u{301}"), Array("café")) == 0)
        #expect(EditDistance.between(Array("天气查询"), Array("天气预报")) == 2)
        #expect(EditDistance.between(Array("abcd"), Array("abdc")) == 1)
        #expect(EditDistance.between([], Array("abc")) == 3)
    }

    @Test func nonASCIINamesAreSuggested() {
        let names = ["café_menu", "crème_brûlée", "天气查询"]
        #expect(NameSuggester.suggestions(for: "cafe_menu", among: names, limit: 1) == ["café_menu"])
        #expect(NameSuggester.suggestions(for: "CRÈME_BRULEE", among: names, limit: 1) == ["crème_brûlée"])
        #expect(NameSuggester.suggestions(for: "天气查", among: names, limit: 1) == ["天气查询"])
    }
}
