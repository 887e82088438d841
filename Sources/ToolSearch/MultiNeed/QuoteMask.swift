// Which characters of a query sit inside quotes: a quote opens after a space or at the start
// ("name it 'login_button'") and closes before a space, punctuation or the end, so the apostrophe
// of "what's" or "Carlsen's" opens nothing.

import Foundation

struct QuoteMask {
    private var spans: [Range<String.Index>] = []

    init(_ text: String) {
        var index = text.startIndex
        var previous: Character?
        while index < text.endIndex {
            let character = text[index]
            if "'\"`“‘".contains(character), previous == nil || previous?.isWhitespace == true || "([{:=".contains(previous ?? " ") {
                let closing: Character = character == "“" ? "”" : character == "‘" ? "’" : character
                var end = text.index(after: index)
                var closed: String.Index?
                while end < text.endIndex {
                    if text[end] == closing {
                        let after = text.index(after: end)
                        if after == text.endIndex || text[after].isWhitespace || text[after].isPunctuation {
                            closed = end
                            break
                        }
                    }
                    end = text.index(after: end)
                }
                if let closed {
                    spans.append(index..<text.index(after: closed))
                    previous = text[closed]
                    index = text.index(after: closed)
                    continue
                }
            }
            previous = character
            index = text.index(after: index)
        }
    }

    func isQuoted(_ index: String.Index) -> Bool {
        spans.contains { $0.contains(index) }
    }
}
