// Splits prose and identifiers into lower-cased word pieces: camelCase, digit runs and any
// non-alphanumeric separator (`_ - . /` …) break words; CJK text becomes characters plus bigrams.

/// One piece of text produced by `Tokenizer`.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A word piece after case/digit splitting ("get", "file").
        case piece
        /// The unsplit form of a word that case/digit splitting broke up ("paypal" for "PayPal"),
        /// so a query that writes the word whole still matches.
        case compound
        /// A single CJK character.
        case cjkCharacter
        /// Two adjacent CJK characters; scripts without spaces need them for precise matches.
        case cjkBigram
    }

    var text: String
    var kind: Kind
}

enum Tokenizer {
    /// Lower-cased tokens of `text`, in order of appearance (a compound follows its pieces).
    static func tokens(in text: String) -> [Token] {
        var text = text
        if let tokens = text.withUTF8({ ASCIITokenizer.tokens(in: $0) }) {
            return tokens
        }
        return unicodeTokens(in: text)
    }

    /// The general path, for text with non-ASCII characters.
    static func unicodeTokens(in text: String) -> [Token] {
        var output: [Token] = []
        var word: [Unicode.Scalar] = []
        var cjkRun: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            switch ScalarClass(scalar) {
            case .cjk:
                flushWord(&word, into: &output)
                cjkRun.append(scalar)
            case .separator:
                flushWord(&word, into: &output)
                flushCJK(&cjkRun, into: &output)
            default:
                flushCJK(&cjkRun, into: &output)
                word.append(scalar)
            }
        }
        flushWord(&word, into: &output)
        flushCJK(&cjkRun, into: &output)
        return output
    }

    /// Only the word pieces and CJK characters (no compounds or bigrams): the words of an identifier.
    static func pieces(of text: String) -> [String] {
        tokens(in: text).compactMap { $0.kind == .piece || $0.kind == .cjkCharacter ? $0.text : nil }
    }

    private static func flushWord(_ word: inout [Unicode.Scalar], into output: inout [Token]) {
        guard !word.isEmpty else { return }
        let classes = word.map(ScalarClass.init)
        var start = 0
        var pieceCount = 0
        for index in 1..<max(word.count, 1) where isBoundary(classes, word, at: index) {
            output.append(Token(text: lowercased(word[start..<index]), kind: .piece))
            pieceCount += 1
            start = index
        }
        output.append(Token(text: lowercased(word[start..<word.count]), kind: .piece))
        pieceCount += 1
        if pieceCount > 1 {
            output.append(Token(text: lowercased(word[0..<word.count]), kind: .compound))
        }
        word.removeAll(keepingCapacity: true)
    }

    private static func flushCJK(_ run: inout [Unicode.Scalar], into output: inout [Token]) {
        guard !run.isEmpty else { return }
        for (index, scalar) in run.enumerated() {
            output.append(Token(text: String(Character(scalar)), kind: .cjkCharacter))
            if index + 1 < run.count {
                var pair = String.UnicodeScalarView()
                pair.append(scalar)
                pair.append(run[index + 1])
                output.append(Token(text: String(pair), kind: .cjkBigram))
            }
        }
        run.removeAll(keepingCapacity: true)
    }

    /// Case and digit transitions inside one alphanumeric run.
    private static func isBoundary(_ classes: [ScalarClass], _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let previous = effectiveClass(classes, before: index)
        let current = classes[index]
        switch (previous, current) {
        case (.lower, .upper), (.caseless, .upper):
            return true
        case (.upper, .upper):
            // "HTMLParser": the last capital of an acronym starts the next word,
            // except a plural "s" closing the word ("URLs").
            guard index + 1 < classes.count, classes[index + 1] == .lower else { return false }
            return !(index + 2 == classes.count && scalars[index + 1] == "s")
        case (.digit, .lower), (.digit, .upper), (.digit, .caseless),
             (.lower, .digit), (.upper, .digit), (.caseless, .digit):
            return true
        default:
            return false
        }
    }

    /// Combining marks take the class of the letter they decorate, so "café" written with
    /// U+0301 stays one word.
    private static func effectiveClass(_ classes: [ScalarClass], before index: Int) -> ScalarClass {
        var position = index - 1
        while position > 0, classes[position] == .mark {
            position -= 1
        }
        return classes[position]
    }

    private static func lowercased(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        if scalars.allSatisfy(\.isASCII) {
            let bytes = scalars.map { scalar -> UInt8 in
                let value = UInt8(truncatingIfNeeded: scalar.value)
                return (65...90).contains(value) ? value + 32 : value
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view).lowercased()
    }
}

/// The tokenizer's view of one Unicode scalar.
enum ScalarClass: Equatable, Sendable {
    case lower, upper, digit, caseless, mark, cjk, separator

    init(_ scalar: Unicode.Scalar) {
        if scalar.isASCII {
            switch scalar.value {
            case 0x61...0x7A: self = .lower
            case 0x41...0x5A: self = .upper
            case 0x30...0x39: self = .digit
            default: self = .separator
            }
            return
        }
        if ScalarClass.isCJK(scalar) {
            self = .cjk
            return
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .lowercaseLetter: self = .lower
        case .uppercaseLetter, .titlecaseLetter: self = .upper
        case .decimalNumber, .letterNumber, .otherNumber: self = .digit
        case .otherLetter, .modifierLetter: self = .caseless
        case .nonspacingMark, .spacingMark, .enclosingMark: self = .mark
        default: self = .separator
        }
    }

    /// Scripts written without spaces between words.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF,  // Hiragana, Katakana
             0x3400...0x4DBF,  // CJK extension A
             0x4E00...0x9FFF,  // CJK unified ideographs
             0xAC00...0xD7AF,  // Hangul syllables
             0xF900...0xFAFF,  // CJK compatibility ideographs
             0x20000...0x2FA1F:  // CJK extensions B–F, compatibility supplement
            return true
        default:
            return false
        }
    }
}
