// English function words and request filler ("please", "can you") that say nothing about which
// tool is meant. Words that do carry tool intent ("new", "all", "back", "current") are kept.

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
    ]
}
