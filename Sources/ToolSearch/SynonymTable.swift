// A small, general-purpose thesaurus of the verbs and nouns tool descriptions use, so
// "find" reaches a tool named "search" and "folder" one that says "directory".
// Groups are written as plain words and stemmed when the index is built.

enum SynonymTable {
    static let groups: [[String]] = [
        ["get", "fetch", "retrieve", "read", "obtain", "load", "show", "view", "display"],
        ["delete", "remove", "erase", "destroy", "drop", "purge", "trash"],
        ["create", "add", "new", "make", "insert", "generate"],
        ["update", "modify", "edit", "change", "alter", "replace"],
        ["list", "enumerate", "browse"],
        ["search", "find", "query", "lookup", "locate", "seek", "discover"],
        ["write", "save", "store", "persist"],
        ["send", "post", "submit", "publish", "dispatch"],
        ["run", "execute", "exec", "invoke", "call", "trigger", "perform"],
        ["start", "begin", "launch", "initiate"],
        ["stop", "end", "terminate", "kill", "halt", "finish", "cancel"],
        ["close", "exit", "quit"],
        ["move", "drag", "relocate", "transfer"],
        ["copy", "duplicate", "clone"],
        ["upload", "attach"],
        ["navigate", "go", "visit", "open"],
        ["click", "press", "tap"],
        ["fill", "enter", "input"],
        ["screenshot", "capture", "snapshot"],
        ["folder", "directory", "dir"],
        ["info", "information", "detail", "metadata"],
        ["image", "picture", "photo", "img"],
        ["email", "mail"],
        ["message", "msg"],
        ["price", "cost"],
        ["news", "article", "headline"],
        ["latest", "recent", "current", "newest"],
        ["weather", "forecast"],
        ["location", "place", "position"],
        ["document", "doc"],
        ["repository", "repo"],
        ["database", "db"],
        ["configuration", "config", "setting"],
        ["error", "exception"],
        ["summary", "summarize", "overview"],
        ["issue", "ticket", "bug"],
        ["webpage", "page", "website", "site", "web"],
        ["url", "link", "uri", "href"],
        ["key", "keyboard", "keystroke"],
        ["javascript", "js", "script"],
        ["tree", "hierarchy"],
        ["stock", "equity", "ticker", "share"],
        ["crawl", "spider", "scrape"],
        ["extract", "scrape"],
    ]

    /// Stemmed word → the other stemmed words of every group it belongs to.
    static func relatedTerms() -> [String: [String]] {
        var related: [String: [String]] = [:]
        for group in groups {
            let stems = group.compactMap { word in TextAnalyzer.terms(of: word).first }
            for stem in stems {
                for other in stems where other != stem && !(related[stem]?.contains(other) ?? false) {
                    related[stem, default: []].append(other)
                }
            }
        }
        return related
    }
}
