// Splits a query that describes a whole task into its needs: "find the latest paper on X,
// summarise it and then save the summary to a file" -> three parts, each searched on its own.
// Sentences and sequencing words ("then", "after that", "also", "finally") split whenever both
// sides say something (two content words); a bare "and" or comma only where the next clause
// opens a request (NeedStarters: "..., and list the files") and both sides have two content
// words, so "files and directories" or "sorted by name, including sizes" stay one need. Nothing
// inside quotes splits: quoted text is data ('id,name,value').

public enum NeedSplitter {
    static let maximumNeeds = 5
    /// Content words (stop words removed) a part needs to stand alone after a sequencing split.
    static let sequencedMinimum = 2

    /// Where a new need starts, case-insensitive, strongest first.
    static let sequenceMarkers = [
        ", and then ", " and then ", ", then ", " then ", ", and finally ", " and finally ", ", finally ",
        ", and also ", " and also ", ", also ", ", after that ", " after that ", ", afterwards ",
    ]
    static let listMarkers = [", and ", " and ", ", "]
    /// Words that only connect the parts, dropped from the start of a need.
    static let leadingFillers = ["and then", "after that", "afterwards", "and also", "and finally", "finally", "then",
                                 "also", "first", "next", "and"]

    /// The needs of `query`, in order; one element (the trimmed query) when it names one need.
    public static func needs(in query: String) -> [String] {
        let masked = QuoteMask(query)
        var parts: [Substring] = []
        for sentence in sentences(of: query[...], masked: masked) {
            var sequenced = [sentence]
            for marker in sequenceMarkers {
                sequenced = sequenced.flatMap { split($0, at: marker, masked: masked, needsStarter: false) }
            }
            for marker in listMarkers {
                sequenced = sequenced.flatMap { split($0, at: marker, masked: masked, needsStarter: true) }
            }
            parts += sequenced
        }
        let needs = merged(parts.map(cleaned)).filter { !$0.isEmpty }
        guard needs.count > 1 else { return [query.trimmed] }
        return Array(needs.prefix(maximumNeeds))
    }

    /// Sentences end at . ? ! or ; followed by a space (not in "3.5", a URL, quotes or brackets:
    /// "(Linux; Android 10)").
    private static func sentences(of text: Substring, masked: QuoteMask) -> [Substring] {
        // Byte by byte: every character that matters here is ASCII, and walking Characters with
        // String.contains was most of the splitter's time.
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = bytes.startIndex
        var depth = 0
        while index < bytes.endIndex {
            let next = bytes.index(after: index)
            switch bytes[index] {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            case UInt8(ascii: "."), UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: ";"):
                if depth == 0, next < bytes.endIndex, text[next].isWhitespace, !masked.isQuoted(index) {
                    result.append(text[start..<next])
                    start = next
                }
            default: break
            }
            index = next
        }
        result.append(text[start...])
        return result.filter { part in part.contains { !$0.isWhitespace } }
    }

    /// Splits at every unquoted `marker` whose two sides each keep two content words (and, with
    /// `needsStarter`, whose right side opens a request).
    private static func split(_ text: Substring, at marker: String, masked: QuoteMask, needsStarter: Bool) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var searchFrom = text.startIndex
        let marker = Array(marker.utf8)
        while let found = firstRange(of: marker, in: text, from: searchFrom) {
            searchFrom = found.upperBound
            guard !masked.isQuoted(found.lowerBound) else { continue }
            let left = text[start..<found.lowerBound]
            let right = text[found.upperBound...]
            guard contentWords(left) >= sequencedMinimum, contentWords(right) >= sequencedMinimum,
                  !needsStarter || NeedStarters.opensARequest(right) else { continue }
            result.append(left)
            start = found.upperBound
        }
        result.append(text[start...])
        return result
    }

    /// The first occurrence of the lower-case ASCII `marker` in `text` at or after `start`, ASCII
    /// letters compared without case. Byte by byte: Foundation's case-insensitive `range(of:)`
    /// over 16 markers was a third of a multi-need search's own time (perf, 10,000 tools).
    private static func firstRange(of marker: [UInt8], in text: Substring, from start: String.Index) -> Range<String.Index>? {
        guard let first = marker.first else { return nil }
        let bytes = text.utf8
        var index = start
        while index < bytes.endIndex {
            if lowered(bytes[index]) == first {
                var end = bytes.index(after: index)
                var matched = 1
                while matched < marker.count, end < bytes.endIndex, lowered(bytes[end]) == marker[matched] {
                    end = bytes.index(after: end)
                    matched += 1
                }
                if matched == marker.count { return index..<end }
            }
            index = bytes.index(after: index)
        }
        return nil
    }

    @inline(__always)
    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// A part too short to stand alone joins the one before it (or after it, when first).
    private static func merged(_ parts: [String]) -> [String] {
        var result: [String] = []
        var pending = ""
        for part in parts {
            let joined = pending.isEmpty ? part : pending + " " + part
            if contentWords(joined[...]) < sequencedMinimum {
                pending = joined
            } else if contentWords(part[...]) < sequencedMinimum, let last = result.popLast() {
                result.append(last + " " + joined)
                pending = ""
            } else {
                result.append(joined)
                pending = ""
            }
        }
        if !pending.isEmpty {
            if let last = result.popLast() { result.append(last + " " + pending) } else { result.append(pending) }
        }
        return result
    }

    private static func cleaned(_ part: Substring) -> String {
        var text = part.trimmed[...]
        var changed = true
        while changed {
            changed = false
            while let first = text.first, ",;:.".contains(first) || first.isWhitespace {
                text = text.dropFirst()
                changed = true
            }
            let lower = text.prefix(16).lowercased()
            for filler in leadingFillers where lower.hasPrefix(filler + " ") || lower.hasPrefix(filler + ",") {
                text = text.dropFirst(filler.count)
                changed = true
                break
            }
        }
        while let last = text.last, ",;:.?!".contains(last) || last.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    /// How many index terms `text` has (stop words and lone letters left out), without stemming
    /// them: only the count matters here.
    static func contentWords(_ text: Substring) -> Int {
        Tokenizer.tokens(in: String(text)).reduce(0) { $0 + (TextAnalyzer.isTerm($1) ? 1 : 0) }
    }
}

extension StringProtocol {
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
