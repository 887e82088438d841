// Words that open a request: imperative verbs of everyday tool use, question words and polite
// openers. After a bare "and" or a comma, a new need starts only with one of these ("... and
// list the files", "..., what is the price"), so lists of things ("files and directories",
// "sorted by name, including sizes") stay inside one need. General English, not taken from any
// query set.

enum NeedStarters {
    static let words: Set<String> = [
        // question words and openers
        "what", "whats", "which", "who", "whom", "whose", "where", "when", "why", "how", "is", "are", "was", "were",
        "do", "does", "did", "can", "could", "would", "will", "should", "please", "i", "we", "let", "lets",
        // verbs
        "add", "analyse", "analyze", "append", "archive", "ask", "book", "browse", "build", "calculate", "call",
        "cancel", "capture", "change", "check", "choose", "clear", "click", "clone", "close", "commit", "compare",
        "compile", "compute", "convert", "copy", "count", "crawl", "create", "delete", "deploy", "describe",
        "download", "drag", "draw", "edit", "email", "enter", "estimate", "evaluate", "execute", "explain",
        "export", "extract", "fetch", "fill", "filter", "find", "fix", "follow", "forward", "generate", "get",
        "give", "go", "grab", "hover", "import", "insert", "install", "invite", "join", "launch", "list", "load",
        "locate", "log", "look", "make", "map", "mark", "merge", "message", "move", "navigate", "notify", "open",
        "order", "pay", "pick", "play", "plot", "post", "press", "print", "publish", "pull", "push", "put", "query",
        "read", "record", "refresh", "reload", "remind", "remove", "rename", "render", "reply", "report", "request",
        "research", "reset", "resize", "restart", "retrieve", "return", "review", "run", "save", "scan", "schedule",
        "scrape", "scroll", "search", "select", "send", "set", "share", "show", "sort", "start", "stop", "store",
        "submit", "summarise", "summarize", "switch", "take", "tell", "track", "translate", "type",
        "undo", "update", "upload", "use", "verify", "visit", "wait", "watch", "write",
    ]

    /// Whether `text`, after leading spaces, opens with a starter word (a path such as
    /// "./test/x" opens with no word at all).
    static func opensARequest(_ text: Substring) -> Bool {
        let word = text.drop(while: \.isWhitespace).prefix(while: { $0.isLetter || $0 == "'" })
        return words.contains(word.lowercased().replacingOccurrences(of: "'", with: ""))
    }
}
