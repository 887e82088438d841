// English function words and request filler ("please", "can you") that say nothing about which
// tool is meant. Words that do carry tool intent ("new", "all", "back", "current") are kept.
// Spanish and German function words too, since catalogs and queries in those languages occur: left
// in, "en", "de" or "die" matched whatever English tool happened to contain them. Words that are
// also meaningful in tool texts are not listed ("del" the key, "su", "sin", "son", "den").

enum Stopwords {
    static func contains(_ word: String) -> Bool {
        words.contains(word)
    }

    private static let words: Set<String> = [
        "a", "an", "the", "and", "or", "but", "nor", "if", "then", "else", "than", "so", "such",
        "of", "to", "in", "on", "at", "by", "for", "with", "within", "from", "into", "onto", "about",
        "as", "per", "via", "over", "under", "between", "through", "during", "upon", "across",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done",
        "have", "has", "had", "having", "it", "its", "itself", "this", "that", "these",
        "those", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why",
        "how", "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "you", "your", "yours",
        "he", "she", "him", "her", "his", "hers", "they", "them", "their", "theirs",
        "can", "could", "would", "should", "will", "shall", "may", "might", "must",
        "please", "kindly", "let", "lets", "want", "wants", "wanted", "like", "just",
        "also", "some", "any", "each", "very", "too", "much", "many", "more", "most", "other",
        "own", "same", "only", "not", "no", "yes", "ok", "okay", "hi", "hello", "thanks", "thank",
        "tell", "know", "whether", "while", "again", "further", "once", "both", "either", "neither",
        "etc", "eg", "ie",
        // Spanish
        "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "al", "en", "y", "o", "que", "qué",
        "se", "sus", "por", "para", "es", "como", "cómo", "lo", "le", "les", "tu", "este", "esta", "esto",
        "ese", "esa", "cual", "cuál", "muy", "más", "pero", "hay", "puedes", "favor",
        // German
        "der", "die", "das", "dem", "ein", "eine", "einen", "einem", "einer", "und", "oder", "im", "ist",
        "sind", "zu", "zum", "zur", "mit", "von", "vom", "auf", "für", "bei", "nach", "aus", "über", "wie",
        "wird", "werden", "auch", "nicht", "sich", "dass", "ich", "mir", "mich", "du", "wir", "ihr",
        "bitte", "deren", "dessen", "welche", "welcher", "kannst", "meine", "mein",
    ]
}
