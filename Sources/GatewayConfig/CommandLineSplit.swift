// Splits a command string into argv the way a POSIX shell splits words, without running a shell:
// no variable expansion, globbing, redirection or operators, only quoting and escaping.

/// Why a command string could not be split.
public enum CommandLineSplitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `offset` is the Character offset of the opening quote.
    case unterminatedSingleQuote(offset: Int)
    case unterminatedDoubleQuote(offset: Int)
    /// A backslash with nothing after it.
    case trailingBackslash

    public var description: String {
        switch self {
        case .unterminatedSingleQuote(let offset):
            return "unterminated single quote (opened at character \(offset + 1))"
        case .unterminatedDoubleQuote(let offset):
            return "unterminated double quote (opened at character \(offset + 1))"
        case .trailingBackslash:
            return "backslash at the end of the command escapes nothing"
        }
    }
}

/// Splits `s` into words: blanks separate words; `'...'` is literal; in `"..."` a backslash escapes only
/// `$`, `` ` ``, `"`, `\` and newline (as in POSIX sh); outside quotes a backslash escapes any character,
/// and backslash-newline joins lines. `''` and `""` give an empty word.
public func commandLineSplit(_ s: String) throws(CommandLineSplitError) -> [String] {
    let characters = Array(s)
    var words: [String] = []
    var word = ""
    var inWord = false
    var index = 0

    func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n"
    }
    func isNewline(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n"
    }

    while index < characters.count {
        let character = characters[index]
        if isBlank(character) {
            if inWord {
                words.append(word)
                word = ""
                inWord = false
            }
            index += 1
            continue
        }
        let wasInWord = inWord
        inWord = true
        switch character {
        case "'":
            let opening = index
            index += 1
            while index < characters.count, characters[index] != "'" {
                word.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw .unterminatedSingleQuote(offset: opening) }
            index += 1
        case "\"":
            let opening = index
            index += 1
            while index < characters.count, characters[index] != "\"" {
                let current = characters[index]
                if current == "\\", index + 1 < characters.count {
                    let next = characters[index + 1]
                    if isNewline(next) {
                        index += 2
                        continue
                    }
                    if next == "$" || next == "`" || next == "\"" || next == "\\" {
                        word.append(next)
                        index += 2
                        continue
                    }
                }
                word.append(current)
                index += 1
            }
            guard index < characters.count else { throw .unterminatedDoubleQuote(offset: opening) }
            index += 1
        case "\\":
            guard index + 1 < characters.count else { throw .trailingBackslash }
            let next = characters[index + 1]
            if isNewline(next) {
                // A line continuation joins lines and does not start a word by itself.
                inWord = wasInWord
            } else {
                word.append(next)
            }
            index += 2
        default:
            word.append(character)
            index += 1
        }
    }
    if inWord { words.append(word) }
    return words
}
