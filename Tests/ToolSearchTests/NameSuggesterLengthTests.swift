// A name far longer than any real one gets no suggestions, and fast: edit distances against
// it would cost its length times each candidate's.

import Testing
import ToolSearch

@Suite struct NameSuggesterLengthTests {
    @Test func hugeNamesAreNotSuggestedFor() {
        let candidates = (0..<200).map { "tool_number_\($0)" }
        let huge = String(repeating: "q", count: 3_000_000)
        let start = ContinuousClock.now
        #expect(NameSuggester.suggestions(for: huge, among: candidates, limit: 3).isEmpty)
        #expect(ContinuousClock.now - start < .seconds(1))
        // Up to the cap, suggestions work as before.
        #expect(NameSuggester.suggestions(for: "tool_numbr_7", among: candidates, limit: 1) == ["tool_number_7"])
    }
}
