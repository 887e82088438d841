// Turns each `SearchDocument` into the (term, field) occurrences the inverted index is built
// from, plus the document's name words for the name-coverage signal.

struct AnalyzedDocument {
    /// One `IndexEntry.key` per term occurrence.
    var entries: [UInt64] = []
    /// Distinct terms of the tool name that do not just repeat the server name
    /// ("playwright_click" on server "playwright" is named by "click").
    var nameWords: [Int32] = []
}

enum DocumentAnalyzer {
    static func analyze(_ document: SearchDocument, vocabulary: inout Vocabulary) -> AnalyzedDocument {
        var analyzed = AnalyzedDocument()
        func add(_ terms: [Int32], _ field: SearchField) {
            for term in terms {
                analyzed.entries.append(IndexEntry.key(term: term, field: field))
            }
        }
        let nameTerms = vocabulary.identifierTerms(of: document.name)
        add(nameTerms, .name)
        if let title = document.title {
            add(vocabulary.terms(of: title), .title)
        }
        add(vocabulary.terms(of: document.description), .description)
        for parameter in document.parameters {
            add(vocabulary.identifierTerms(of: parameter.name), .parameterNames)
            add(vocabulary.terms(of: parameter.description), .parameterDescriptions)
        }
        let serverTerms = vocabulary.identifierTerms(of: document.server)
        add(serverTerms, .serverName)
        add(vocabulary.terms(of: document.serverDescription), .serverDescription)
        for tag in document.tags {
            add(vocabulary.identifierTerms(of: tag), .tags)
        }

        var allNameWords: [Int32] = []
        for word in TextAnalyzer.namePieces(of: document.name) {
            let id = vocabulary.id(for: word)
            if !allNameWords.contains(id) { allNameWords.append(id) }
        }
        analyzed.nameWords = allNameWords.filter { !serverTerms.contains($0) }
        if analyzed.nameWords.isEmpty {
            // "search" on server "google-search": the name is all the tool has.
            analyzed.nameWords = allNameWords
        }
        return analyzed
    }
}
