// A deliberately light English suffix stemmer (plurals, -ing, -ed, -er, -ation, final -e) so
// "files"/"file", "creating"/"create"/"created" and "crawler"/"crawl" meet on one term.
// Conservative on purpose: short words and non-ASCII words pass through unchanged.

enum Stemmer {
    static func stem(_ word: String) -> String {
        guard word.utf8.count >= 4, word.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return word }
        if invariant.contains(word) { return word }
        var letters = Array(word.utf8)
        removePlural(&letters)
        if !removeVerbSuffix(&letters) {
            removeAgentOrNounSuffix(&letters)
        }
        removeFinalE(&letters)
        return String(decoding: letters, as: UTF8.self)
    }

    /// Words whose suffix is not an inflection ("news" is not the plural of "new").
    private static let invariant: Set<String> = [
        "news", "series", "species", "lens", "canvas", "alias", "atlas", "chaos", "bias", "corpus",
        "during", "thing", "nothing", "something", "anything", "everything", "string", "spring",
        "ring", "king", "wing", "bring", "sing", "ping",
    ]

    private static func removePlural(_ letters: inout [UInt8]) {
        if letters.hasSuffix("ies"), letters.count > 4 {
            letters.removeLast(3)
            letters.append(UInt8(ascii: "y"))
        } else if letters.hasSuffix("sses") {
            letters.removeLast(2)
        } else if letters.hasSuffix("xes") || letters.hasSuffix("ches") || letters.hasSuffix("shes")
            || letters.hasSuffix("zes") {
            letters.removeLast(2)
        } else if letters.hasSuffix("ss") || letters.hasSuffix("us") || letters.hasSuffix("is") {
            return
        } else if letters.hasSuffix("s") {
            letters.removeLast()
        }
    }

    /// -ing and -ed, only when a stem with a vowel of at least three letters remains.
    private static func removeVerbSuffix(_ letters: inout [UInt8]) -> Bool {
        let suffixLength: Int
        if letters.hasSuffix("ing") {
            suffixLength = 3
        } else if letters.hasSuffix("ied"), letters.count > 4 {
            letters.removeLast(3)
            letters.append(UInt8(ascii: "y"))
            return true
        } else if letters.hasSuffix("ed"), !letters.hasSuffix("eed") {
            suffixLength = 2
        } else {
            return false
        }
        let stem = letters.dropLast(suffixLength)
        guard stem.count >= 3, stem.contains(where: isVowel) else { return false }
        letters.removeLast(suffixLength)
        undoubleFinalConsonant(&letters)
        return true
    }

    /// -er (stem of four letters or more, so "user" and "order" survive) and -ation.
    private static func removeAgentOrNounSuffix(_ letters: inout [UInt8]) {
        if letters.hasSuffix("ation"), letters.count - 5 >= 3 {
            letters.removeLast(3)
        } else if letters.hasSuffix("er"), letters.count - 2 >= 4, letters.dropLast(2).contains(where: isVowel) {
            letters.removeLast(2)
            undoubleFinalConsonant(&letters)
        }
    }

    /// "create" and "creat(ing)" must meet, so a trailing e goes too.
    private static func removeFinalE(_ letters: inout [UInt8]) {
        if letters.count >= 4, letters.last == UInt8(ascii: "e") {
            letters.removeLast()
        }
    }

    /// "running" → "run", but "filling" keeps its "ll" (and "ss"/"zz") like the base word.
    private static func undoubleFinalConsonant(_ letters: inout [UInt8]) {
        guard letters.count >= 3 else { return }
        let last = letters[letters.count - 1]
        guard last == letters[letters.count - 2], !isVowel(last) else { return }
        if last == UInt8(ascii: "l") || last == UInt8(ascii: "s") || last == UInt8(ascii: "z") { return }
        letters.removeLast()
    }

    private static func isVowel(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
             UInt8(ascii: "y"):
            return true
        default:
            return false
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func hasSuffix(_ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard self.count >= count else { return false }
        return suffix.withUTF8Buffer { buffer in
            var index = self.count - count
            for byte in buffer {
                if self[index] != byte { return false }
                index += 1
            }
            return true
        }
    }
}
