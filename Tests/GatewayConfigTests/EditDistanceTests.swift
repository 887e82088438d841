// Character-based edit distance and the did-you-mean choice built on it.

import Testing
@testable import GatewayConfig

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("kitten", "sitting", 3), ("comand", "command", 1),
        ("flaw", "lawn", 2), ("same", "same", 0), ("café", "cafe", 1), ("日本語", "日本", 1), ("👍🏽", "👍", 1),
    ])
    func distances(_ a: String, _ b: String, _ expected: Int) {
        #expect(editDistance(a, b) == expected)
        #expect(editDistance(b, a) == expected)
    }

    @Test func suggestions() {
        let keys = ["host", "port", "request_timeout", "max_body_size", "http_url", "command"]
        #expect(closestSuggestion(for: "prot", among: keys) == "port")
        #expect(closestSuggestion(for: "hots", among: keys) == "host")
        #expect(closestSuggestion(for: "MaxBodySize", among: keys) == "max_body_size")
        #expect(closestSuggestion(for: "url", among: keys) == "http_url")
        #expect(closestSuggestion(for: "timeout", among: keys) == "request_timeout")
        #expect(closestSuggestion(for: "xyz", among: keys) == nil)
        #expect(closestSuggestion(for: "id", among: ["cwd", "env"]) == nil)
        #expect(closestSuggestion(for: "gti", among: ["git", "docs"]) == "git")
        #expect(closestSuggestion(for: "comand", among: ["commands", "command"]) == "command")
    }
}
