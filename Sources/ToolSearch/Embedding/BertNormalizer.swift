// BERT-uncased text normalisation and pre-tokenisation, as the reference BertNormalizer and
// BertPreTokenizer do it: control characters dropped, whitespace breaks words, each CJK ideograph
// and each punctuation character is a word of its own, and words are lower-cased with their
// accents stripped (canonical decomposition, nonspacing marks removed).

import Foundation

enum BertNormalizer {
    /// Calls `body` with each normalised word of `text`, in order. The slice is only valid
    /// during the call.
    static func forEachWord(in text: String, _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        var word: [Unicode.Scalar] = []
        word.reserveCapacity(32)
        func flush() {
            guard !word.isEmpty else { return }
            body(word[...])
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch ASCIIClass.of(value) {
                case .dropped: continue
                case .space: flush()
                case .punctuation:
                    flush()
                    word.append(scalar)
                    flush()
                case .upper: word.append(Unicode.Scalar(UInt8(value | 0x20)))
                case .other: word.append(scalar)
                }
                continue
            }
            if value == 0xFFFD || isControl(scalar) { continue }
            if scalar.properties.isWhitespace {
                flush()
                continue
            }
            let ideograph = isCJKIdeograph(value)
            if ideograph && !isCompatibilityIdeograph(value) {
                // Unified ideographs have no decomposition and no case: skip the normalisation.
                flush()
                word.append(scalar)
                flush()
                continue
            }
            if ideograph { flush() }
            for normalized in lowercasedWithoutAccents(scalar) {
                if normalized.properties.isWhitespace {
                    flush()
                } else if isPunctuation(normalized) {
                    flush()
                    word.append(normalized)
                    flush()
                } else {
                    word.append(normalized)
                }
            }
            if ideograph { flush() }
        }
        flush()
    }

    private enum ASCIIClass {
        case dropped, space, punctuation, upper, other

        static func of(_ value: UInt32) -> ASCIIClass {
            switch value {
            case 0x09, 0x0A, 0x0D, 0x20: .space
            case 0x00..<0x20, 0x7F: .dropped
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: .punctuation
            case 0x41...0x5A: .upper
            default: .other
            }
        }
    }

    /// Canonical decomposition without nonspacing marks, then lower-cased (per scalar, without
    /// context, like the reference).
    private static func lowercasedWithoutAccents(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for decomposed in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = decomposed.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.changesWhenLowercased {
                out.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(decomposed)
            }
        }
        return out
    }

    /// Control, format, surrogate, private-use and unassigned code points (tab, newline and
    /// carriage return are whitespace, handled before).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: true
        default: false
        }
    }

    /// ASCII punctuation and symbols (`$`, `+`, `^`, `|` … included), or any Unicode punctuation.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return ASCIIClass.of(scalar.value) == .punctuation }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Compatibility Ideographs, which decompose canonically to unified ones.
    static func isCompatibilityIdeograph(_ value: UInt32) -> Bool {
        (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }

    /// The CJK Unified Ideograph blocks BERT splits into single characters (not kana or Hangul).
    static func isCJKIdeograph(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: true
        default: false
        }
    }
}
