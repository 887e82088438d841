// A compiled `*` / `?` pattern, as the config's allow and deny lists use them: `*` matches any
// run of characters (slashes and colons included), `?` exactly one. Matching walks bytes with
// one backtrack point, so a pattern costs linear time on ordinary input and never recurses.

public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let bytes: [UInt8]
    /// No wildcard: matching is a byte comparison.
    public let isLiteral: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        bytes = Array(pattern.utf8)
        isLiteral = !bytes.contains(UInt8(ascii: "*")) && !bytes.contains(UInt8(ascii: "?"))
    }

    public var description: String { pattern }

    /// True when the pattern matches all of `text`.
    public func matches(_ text: String) -> Bool {
        if isLiteral { return text == pattern }
        var text = text
        return text.withUTF8 { matches(bytes: $0) }
    }

    public func matches(bytes text: UnsafeBufferPointer<UInt8>) -> Bool {
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        var p = 0, t = 0
        var starAt = -1, resumeAt = 0
        while t < text.count {
            if p < bytes.count, bytes[p] == question || bytes[p] == text[t] {
                if bytes[p] == question {
                    // `?` is one character: skip a whole UTF-8 sequence.
                    t += Self.sequenceLength(text[t])
                } else {
                    t += 1
                }
                p += 1
            } else if p < bytes.count, bytes[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if starAt >= 0 {
                p = starAt + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < bytes.count, bytes[p] == star { p += 1 }
        return p == bytes.count
    }

    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}
