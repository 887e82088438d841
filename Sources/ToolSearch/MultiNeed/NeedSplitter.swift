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
        var result: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var depth = 0
        while index < text.endIndex {
            let next = text.index(after: index)
            let character = text[index]
            if "([{".contains(character) { depth += 1 } else if ")]}".contains(character) { depth = max(0, depth - 1) }
            if depth == 0, ".?!;".contains(character), next < text.endIndex, text[next].isWhitespace, !masked.isQuoted(index) {
                result.append(text[start..<next])
                start = next
            }
            index = next
        }
        result.append(text[start...])
        return result.filter { !$0.trimmed.isEmpty }
    }

    /// Splits at every unquoted `marker` whose two sides each keep two content words (and, with
    /// `needsStarter`, whose right side opens a request).
    private static func split(_ text: Substring, at marker: String, masked: QuoteMask, needsStarter: Bool) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var searchFrom = text.startIndex
        while let found = text[searchFrom...].range(of: marker, options: .caseInsensitive) {
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
            for filler in leadingFillers where text.lowercased().hasPrefix(filler + " ") || text.lowercased().hasPrefix(filler + ",") {
                text = text.dropFirst(filler.count)
                changed = true
                break
            }
        }
        while let last = text.last, ",;:.?!".contains(last) || last.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    static func contentWords(_ text: Substring) -> Int {
        TextAnalyzer.terms(of: String(text)).count
    }
}

extension StringProtocol {
    var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
