// Finds credentials in a result and replaces each with `[redacted:<kind>]`. One pass over the
// bytes: a bitmap of the byte pairs a pattern (a built-in one or one of the gateway's own
// secrets) can start with is tested at every byte, and only where a pair matches does a
// matcher run, chosen by the first byte. No regular expressions, no copy when nothing is found. Works on raw JSON as a backend sent it (JSON
// escapes inside strings are understood, and a replacement never splits one, so the document
// stays valid) and on plain text (error messages).

public struct SecretScanner: Sendable {
    /// A scan that replaced something.
    public struct Redacted: Sendable, Equatable {
        public var bytes: [UInt8]
        public var counts: RedactionCounts
    }

    private static let builtinTrigger: UInt8 = 1
    private static let literalTrigger: UInt8 = 2

    private let literals: LiteralSecrets
    /// Per byte: may a built-in pattern / a literal JSON form start here?
    private let jsonTriggers: [UInt8]
    /// The same for plain text.
    private let textTriggers: [UInt8]
    /// Bit `b0 << 8 | b1` set when some pattern or literal can start with the pair b0, b1: in
    /// prose a quarter of the bytes are trigger letters (e, s, h, b…), a few in a hundred
    /// start a trigger pair ("ey", "se", "ho", "be"…).
    private let jsonPairs: [UInt64]
    private let textPairs: [UInt64]

    /// The first two bytes each built-in pattern can start with.
    private static let builtinPairs = ["AK", "AS", "gh", "gi", "gl", "xo", "ho", "--", "ey",
                                       "se", "sE", "Se", "SE", "be", "bE", "Be", "BE"]
    private let replacements: [[UInt8]] = SecretKind.allCases.map(\.replacement)

    /// `gatewaySecrets`: the gateway's own configured secrets, found literally (values shorter
    /// than 8 bytes are left out: they would match ordinary words).
    public init(gatewaySecrets: [String] = []) {
        literals = LiteralSecrets(gatewaySecrets)
        var builtin = [UInt8](repeating: 0, count: 256)
        for byte in "AgxhesSBb-".utf8 { builtin[Int(byte)] = Self.builtinTrigger }
        var json = builtin
        for byte in literals.json.firstBytes { json[Int(byte)] |= Self.literalTrigger }
        var text = builtin
        for byte in literals.text.firstBytes { text[Int(byte)] |= Self.literalTrigger }
        jsonTriggers = json
        textTriggers = text
        var builtinPairs = [UInt64](repeating: 0, count: 1024)
        for pair in Self.builtinPairs {
            let bytes = Array(pair.utf8)
            let key = Int(bytes[0]) << 8 | Int(bytes[1])
            builtinPairs[key >> 6] |= 1 << UInt64(key & 63)
        }
        jsonPairs = zip(builtinPairs, literals.json.pairs).map { $0 | $1 }
        textPairs = zip(builtinPairs, literals.text.pairs).map { $0 | $1 }
    }

    /// Whether some of the gateway's own secrets are looked for.
    public var hasGatewaySecrets: Bool { !literals.json.isEmpty }

    /// Redacts raw JSON; nil when nothing was found (use the bytes as they are).
    public func redact(json bytes: [UInt8]) -> Redacted? {
        let matches = bytes.withUnsafeBufferPointer { p in
            jsonTriggers.withUnsafeBufferPointer { triggers in
                jsonPairs.withUnsafeBufferPointer { pairs in find(in: p, triggers: triggers, pairs: pairs, json: true) }
            }
        }
        guard !matches.isEmpty else { return nil }
        return splice(bytes, matches)
    }

    /// Where each credential in raw JSON is, without replacing anything (for reports and
    /// benchmarks: the ranges hold the values themselves).
    public func findings(json bytes: [UInt8]) -> [(range: Range<Int>, kind: SecretKind)] {
        let matches = bytes.withUnsafeBufferPointer { p in
            jsonTriggers.withUnsafeBufferPointer { triggers in
                jsonPairs.withUnsafeBufferPointer { pairs in find(in: p, triggers: triggers, pairs: pairs, json: true) }
            }
        }
        return matches.map { ($0.start..<$0.end, $0.kind) }
    }

    /// Redacts plain text; nil when nothing was found.
    public func redact(text: String) -> (text: String, counts: RedactionCounts)? {
        let bytes = Array(text.utf8)
        let matches = bytes.withUnsafeBufferPointer { p in
            textTriggers.withUnsafeBufferPointer { triggers in
                textPairs.withUnsafeBufferPointer { pairs in find(in: p, triggers: triggers, pairs: pairs, json: false) }
            }
        }
        guard !matches.isEmpty else { return nil }
        let redacted = splice(bytes, matches)
        return (String(decoding: redacted.bytes, as: UTF8.self), redacted.counts)
    }

    private func find(in p: UnsafeBufferPointer<UInt8>, triggers: UnsafeBufferPointer<UInt8>, pairs: UnsafeBufferPointer<UInt64>,
                      json: Bool) -> [SecretMatch] {
        var matches: [SecretMatch] = []
        let literalIndex = json ? literals.json : literals.text
        // Every pattern is longer than one byte: the last byte starts none.
        let n = p.count - 1
        var i = 0
        while i < n {
            // One test per byte, on the pair it starts: a branch that is almost never taken
            // (a test on the first byte alone would be taken for every fourth byte of prose,
            // unpredictably, and the mispredictions would cost more than the bitmap load).
            let pair = Int(p[i]) &<< 8 | Int(p[i + 1])
            if pairs[pair &>> 6] & (1 &<< UInt64(pair & 63)) == 0 {
                i += 1
                continue
            }
            let flags = triggers[Int(p[i])]
            // The byte after a backslash belongs to an escape (`\b` is no start of "bearer").
            if json && i > 0 && p[i - 1] == 0x5C && Self.isEscaped(p, i) {
                i += 1
                continue
            }
            if flags & Self.literalTrigger != 0, let end = literalIndex.match(p, at: i) {
                matches.append(SecretMatch(start: i, end: end, kind: .gatewaySecret))
                i = end
                continue
            }
            if flags & Self.builtinTrigger != 0, let match = Self.builtin(p, i, json: json) {
                matches.append(match)
                i = match.end
                continue
            }
            i += 1
        }
        return matches
    }

    /// The built-in pattern that starts with `p[i]`, if it matches.
    @inline(__always)
    private static func builtin(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, json: Bool) -> SecretMatch? {
        switch p[i] {
        case UInt8(ascii: "A"): return SecretPatterns.awsAccessKey(p, i, json: json)
        case UInt8(ascii: "g"): return SecretPatterns.gitToken(p, i, json: json)
        case UInt8(ascii: "x"): return SecretPatterns.slackToken(p, i, json: json)
        case UInt8(ascii: "h"): return SecretPatterns.slackWebhook(p, i, json: json)
        case UInt8(ascii: "-"): return SecretPatterns.privateKey(p, i, json: json)
        case UInt8(ascii: "e"): return SecretPatterns.jwt(p, i, json: json)
        case UInt8(ascii: "s"), UInt8(ascii: "S"): return SecretPatterns.awsSecretKey(p, i, json: json)
        case UInt8(ascii: "B"), UInt8(ascii: "b"): return SecretPatterns.bearer(p, i, json: json)
        default: return nil
        }
    }

    /// An odd run of backslashes before `i` escapes `p[i]`.
    private static func isEscaped(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var k = i - 1
        var count = 0
        while k >= 0 && p[k] == 0x5C {
            count += 1
            k -= 1
        }
        return count % 2 == 1
    }

    private func splice(_ bytes: [UInt8], _ matches: [SecretMatch]) -> Redacted {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + matches.count * 24)
        var counts = RedactionCounts()
        var last = 0
        for match in matches {
            out.append(contentsOf: bytes[last..<match.start])
            out.append(contentsOf: replacements[match.kind.rawValue])
            counts[match.kind] += 1
            last = match.end
        }
        out.append(contentsOf: bytes[last...])
        return Redacted(bytes: out, counts: counts)
    }
}
