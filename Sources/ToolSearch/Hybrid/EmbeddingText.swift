// The text a tool is embedded from: its name split into words ("get_forecast", "getForecast"
// -> "get forecast"), its title and its description, the text scripts/search-model/probe.py
// measured the model on. Parameters and the server are left to the lexical side, which weighs
// them per field.

enum EmbeddingText {
    static func of(_ document: SearchDocument) -> String {
        var text = Tokenizer.pieces(of: document.name).joined(separator: " ")
        if let title = document.title, !title.isEmpty { text += ". " + title }
        if !document.description.isEmpty { text += ": " + document.description }
        return text
    }
}
