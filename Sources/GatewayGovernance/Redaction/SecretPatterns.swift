// The built-in credential patterns, each a hand-written matcher run at a position whose byte
// can start it (see SecretScanner's trigger table). Each returns the range to replace or nil.
// Shapes follow the issuers' documented formats; each is bounded on both sides so that a
// pattern inside a longer word (a hash, a base64 image, an identifier) does not match.
// In JSON mode a match never starts or ends inside an escape sequence, so replacing it keeps
// the document valid.

struct SecretMatch: Equatable {
    var start: Int
    var end: Int
    var kind: SecretKind
}

enum SecretPatterns {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    // MARK: Helpers

    /// Whether `p[i...]` starts with `literal` (exact bytes).
    @inline(__always)
    static func has(_ p: Bytes, _ i: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= p.count else { return false }
        let bytes = literal.utf8Start
        for k in 0..<count where p[i + k] != bytes[k] { return false }
        return true
    }

    /// Whether `p[i...]` starts with `lowercase`, ignoring the case of letters.
    @inline(__always)
    static func hasFolded(_ p: Bytes, _ i: Int, _ lowercase: StaticString) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        guard i + count <= p.count else { return false }
        let bytes = lowercase.utf8Start
        for k in 0..<count where p[i + k] | 0x20 != bytes[k] { return false }
        return true
    }

    /// Whether a token may start at `i`: the byte before is not part of a word, or ends a
    /// JSON escape such as `\n` (text after a newline in a JSON string).
    @inline(__always)
    static func startsWord(_ p: Bytes, _ i: Int, json: Bool) -> Bool {
        guard i > 0 else { return true }
        let before = p[i - 1]
        if !ByteClass.isWord(before) { return true }
        return json && i >= 2 && p[i - 2] == 0x5C && ByteClass.isEscapeLetter(before)
    }

    /// The end of the run of bytes in `accepts` from `i`, at most `limit` long.
    @inline(__always)
    static func run(_ p: Bytes, from i: Int, limit: Int, _ accepts: (UInt8) -> Bool) -> Int {
        var j = i
        let stop = min(p.count, i + limit)
        while j < stop && accepts(p[j]) { j += 1 }
        return j
    }

    // MARK: AWS

    /// `AKIA` / `ASIA` and 16 upper-case letters or digits.
    static func awsAccessKey(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard i + 20 <= p.count, p[i + 2] == UInt8(ascii: "I"), p[i + 3] == UInt8(ascii: "A"),
              p[i + 1] == UInt8(ascii: "K") || p[i + 1] == UInt8(ascii: "S"),
              startsWord(p, i, json: json) else { return nil }
        for k in (i + 4)..<(i + 20) where !(ByteClass.isUpper(p[k]) || ByteClass.isDigit(p[k])) { return nil }
        guard i + 20 == p.count || !ByteClass.isWord(p[i + 20]) else { return nil }
        return SecretMatch(start: i, end: i + 20, kind: .awsAccessKey)
    }

    /// A 40-character secret access key after its label (`aws_secret_access_key`,
    /// `AWS_SECRET_ACCESS_KEY`, `SecretAccessKey`, `secret_access_key`), then `:` / `=` / quotes
    /// / blanks. Unlabelled, 40 base64 characters are indistinguishable from a hash.
    static func awsSecretKey(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard hasFolded(p, i, "secret") else { return nil }
        var j = i + 6
        if j < p.count && p[j] == UInt8(ascii: "_") { j += 1 }
        guard hasFolded(p, j, "access") else { return nil }
        j += 6
        if j < p.count && p[j] == UInt8(ascii: "_") { j += 1 }
        guard hasFolded(p, j, "key") else { return nil }
        j += 3
        // Separators: quotes (also escaped ones in JSON text), `:`, `=`, blanks.
        let separatorsEnd = run(p, from: j, limit: 8) { b in
            b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == 0x5C || b == UInt8(ascii: " ")
                || b == UInt8(ascii: ":") || b == UInt8(ascii: "=") || b == 0x09
        }
        guard separatorsEnd > j, p[separatorsEnd - 1] != 0x5C else { return nil }
        let start = separatorsEnd
        var k = start
        var characters = 0
        while k < p.count && characters < 41 {
            if ByteClass.isBase64(p[k]) {
                k += 1
            } else if json && p[k] == 0x5C && k + 1 < p.count && p[k + 1] == UInt8(ascii: "/") {
                k += 2   // `\/` is one `/`
            } else {
                break
            }
            characters += 1
        }
        guard characters == 40, k == p.count || (!ByteClass.isBase64(p[k]) && p[k] != UInt8(ascii: "=")) else { return nil }
        return SecretMatch(start: start, end: k, kind: .awsSecretKey)
    }

    // MARK: GitHub, GitLab

    /// `ghp_` `gho_` `ghu_` `ghs_` `ghr_` and at least 36 letters or digits; `github_pat_` and at
    /// least 22 of letters, digits and `_`; GitLab's `glpat-` and at least 20 characters.
    static func gitToken(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard i + 1 < p.count else { return nil }
        let second = p[i + 1]
        if second == UInt8(ascii: "h") {
            guard i + 4 < p.count, p[i + 3] == UInt8(ascii: "_") else { return nil }
            switch p[i + 2] {
            case UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "r"): break
            default: return nil
            }
            guard startsWord(p, i, json: json) else { return nil }
            let end = run(p, from: i + 4, limit: 252, ByteClass.isAlnum)
            guard end - (i + 4) >= 36, end == p.count || !ByteClass.isWord(p[end]) else { return nil }
            return SecretMatch(start: i, end: end, kind: .githubToken)
        }
        if second == UInt8(ascii: "i") {
            guard has(p, i, "github_pat_"), startsWord(p, i, json: json) else { return nil }
            let end = run(p, from: i + 11, limit: 244, ByteClass.isWord)
            guard end - (i + 11) >= 22, end == p.count || !ByteClass.isWord(p[end]) else { return nil }
            return SecretMatch(start: i, end: end, kind: .githubToken)
        }
        if second == UInt8(ascii: "l") {
            guard has(p, i, "glpat-"), startsWord(p, i, json: json) else { return nil }
            var end = run(p, from: i + 6, limit: 250) { ByteClass.isWord($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
            // A sentence's full stop or a dash after the token is not part of it.
            while end > i + 6 && (p[end - 1] == UInt8(ascii: ".") || p[end - 1] == UInt8(ascii: "-")) { end -= 1 }
            guard end - (i + 6) >= 20 else { return nil }
            return SecretMatch(start: i, end: end, kind: .gitlabToken)
        }
        return nil
    }

    // MARK: Slack

    /// `xoxa-` `xoxb-` `xoxp-` `xoxr-` `xoxs-` and at least 10 letters, digits or dashes, one a digit.
    static func slackToken(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard i + 15 <= p.count, p[i + 1] == UInt8(ascii: "o"), p[i + 2] == UInt8(ascii: "x"),
              p[i + 4] == UInt8(ascii: "-") else { return nil }
        switch p[i + 3] {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "s"): break
        default: return nil
        }
        guard startsWord(p, i, json: json) else { return nil }
        var end = run(p, from: i + 5, limit: 250) { ByteClass.isAlnum($0) || $0 == UInt8(ascii: "-") }
        while end > i + 5 && p[end - 1] == UInt8(ascii: "-") { end -= 1 }
        guard end - (i + 5) >= 10, end == p.count || !ByteClass.isWord(p[end]) else { return nil }
        var hasDigit = false
        for k in (i + 5)..<end where ByteClass.isDigit(p[k]) { hasDigit = true; break }
        guard hasDigit else { return nil }
        return SecretMatch(start: i, end: end, kind: .slackToken)
    }

    /// `hooks.slack.com/services/` and its path (`T…/B…/secret`), slashes plain or JSON-escaped.
    static func slackWebhook(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard has(p, i, "hooks.slack.com") else { return nil }
        var j = i + 15
        if has(p, j, "/services/") {
            j += 10
        } else if json && has(p, j, "\\/services\\/") {
            j += 12
        } else {
            return nil
        }
        let pathStart = j
        var characters = 0
        while j < p.count && characters < 200 {
            if ByteClass.isWord(p[j]) || p[j] == UInt8(ascii: "/") {
                j += 1
            } else if json && p[j] == 0x5C && j + 1 < p.count && p[j + 1] == UInt8(ascii: "/") {
                j += 2
            } else {
                break
            }
            characters += 1
        }
        guard characters >= 20, j > pathStart else { return nil }
        return SecretMatch(start: i, end: j, kind: .slackWebhook)
    }

    // MARK: Private keys

    /// `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK) through its
    /// `-----END …-----` line, newlines raw or as JSON `\n` escapes. A block cut short (no END
    /// before the JSON string closes) is replaced to the string's end. A header alone, as in
    /// prose about key files, is no key: the header must end its line and the body's first line
    /// be base64 of at least 32 characters.
    static func privateKey(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard has(p, i, "-----BEGIN ") else { return nil }
        let labelEnd = run(p, from: i + 11, limit: 64) { ByteClass.isUpper($0) || ByteClass.isDigit($0) || $0 == UInt8(ascii: " ") }
        var header = labelEnd
        if labelEnd - (i + 11) >= 17 && has(p, labelEnd - 17, "PRIVATE KEY BLOCK") {
            // PGP
        } else if labelEnd - (i + 11) >= 11 && has(p, labelEnd - 11, "PRIVATE KEY") {
            // PKCS#1, PKCS#8, SEC1, OpenSSH
        } else {
            return nil
        }
        guard has(p, header, "-----") else { return nil }
        header += 5
        // The header is a line of its own, and the body's first line (after PEM headers such as
        // `Proc-Type:` and blank lines) is all base64, at least 32 characters: prose or code
        // that merely names the header does not look like that.
        guard lineBreak(p, header, json: json) > 0, let bodyStart = firstBodyLine(p, from: header, json: json) else { return nil }
        var j = bodyStart
        let limit = min(p.count, i + 65_536)
        while j < limit {
            let b = p[j]
            if b == UInt8(ascii: "-") && has(p, j, "-----END") {
                // Through the closing dashes of the END line.
                var k = j + 8
                let stop = min(p.count, k + 80)
                while k < stop && !has(p, k, "-----") {
                    if json && (p[k] == 0x5C || p[k] == UInt8(ascii: "\"")) { break }
                    k += 1
                }
                if k < stop && has(p, k, "-----") { return SecretMatch(start: i, end: k + 5, kind: .privateKey) }
                return SecretMatch(start: i, end: j + 8, kind: .privateKey)
            }
            if json {
                if b == UInt8(ascii: "\"") { break }   // the string ends: a key cut short
                if b == 0x5C {
                    j += j + 1 < limit && p[j + 1] == UInt8(ascii: "u") ? 6 : 2
                    continue
                }
            }
            j += 1
        }
        return SecretMatch(start: i, end: min(j, limit), kind: .privateKey)
    }

    /// The length of the line break at `j` (`\n`, `\r`, or their JSON escapes), 0 if none.
    @inline(__always)
    static func lineBreak(_ p: Bytes, _ j: Int, json: Bool) -> Int {
        guard j < p.count else { return 0 }
        if p[j] == 0x0A || p[j] == 0x0D { return 1 }
        if json && p[j] == 0x5C && j + 1 < p.count && (p[j + 1] == UInt8(ascii: "n") || p[j + 1] == UInt8(ascii: "r")) { return 2 }
        return 0
    }

    /// Where the first base64 line of a PEM body starts, after the header's line break, blank
    /// lines and up to four `Name: value` lines; nil when that line is not base64 of 32+ characters.
    static func firstBodyLine(_ p: Bytes, from start: Int, json: Bool) -> Int? {
        var j = start
        var headerLines = 0
        while j < p.count {
            while case let width = lineBreak(p, j, json: json), width > 0 { j += width }
            let lineStart = j
            var colon = false
            var base64Only = true
            while j < p.count && lineBreak(p, j, json: json) == 0 {
                let b = p[j]
                if json && (b == UInt8(ascii: "\"") || b == 0x5C) { break }
                if b == UInt8(ascii: ":") { colon = true }
                if !ByteClass.isBase64(b) && b != UInt8(ascii: "=") { base64Only = false }
                j += 1
                if j - lineStart > 200 { break }
            }
            if colon && headerLines < 4 && lineBreak(p, j, json: json) > 0 {
                headerLines += 1
                continue
            }
            return base64Only && j - lineStart >= 32 ? lineStart : nil
        }
        return nil
    }

    // MARK: JWT

    /// Three base64url segments, the first starting `eyJ` (`{"`): header 10–2,048 characters,
    /// payload 8–16,384, signature 16–2,048.
    static func jwt(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard i + 36 <= p.count, p[i + 1] == UInt8(ascii: "y"), p[i + 2] == UInt8(ascii: "J"),
              startsWord(p, i, json: json) else { return nil }
        if i > 0 && p[i - 1] == UInt8(ascii: "-") { return nil }
        let headerEnd = run(p, from: i, limit: 2049, ByteClass.isBase64URL)
        guard headerEnd - i >= 10, headerEnd - i <= 2048, headerEnd < p.count, p[headerEnd] == UInt8(ascii: ".") else { return nil }
        let payloadEnd = run(p, from: headerEnd + 1, limit: 16_385, ByteClass.isBase64URL)
        let payload = payloadEnd - headerEnd - 1
        guard payload >= 8, payload <= 16_384, payloadEnd < p.count, p[payloadEnd] == UInt8(ascii: ".") else { return nil }
        let signatureEnd = run(p, from: payloadEnd + 1, limit: 2049, ByteClass.isBase64URL)
        let signature = signatureEnd - payloadEnd - 1
        guard signature >= 16, signature <= 2048 else { return nil }
        // A fourth segment would make it something else (a JWE has five).
        if signatureEnd + 1 < p.count && p[signatureEnd] == UInt8(ascii: ".") && ByteClass.isBase64URL(p[signatureEnd + 1]) {
            return nil
        }
        return SecretMatch(start: i, end: signatureEnd, kind: .jwt)
    }

    // MARK: Bearer

    /// `Bearer <token>` (any case): the token alone is replaced, at least 16 token characters
    /// with a letter and a digit, so prose ("a Bearer token", "Bearer authentication") and
    /// placeholders ("Bearer YOUR_TOKEN", "Bearer <token>") are left alone. A token of a known
    /// kind (a JWT, a GitHub token) is counted as that kind.
    static func bearer(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        guard hasFolded(p, i, "bearer"), startsWord(p, i, json: json) else { return nil }
        var j = i + 6
        let spaces = run(p, from: j, limit: 4) { $0 == UInt8(ascii: " ") }
        guard spaces > j else { return nil }
        j = spaces
        let start = j
        var letters = false
        var digits = false
        var characters = 0
        while j < p.count && characters <= 4096 {
            let b = p[j]
            if ByteClass.isToken68(b) {
                if ByteClass.isDigit(b) { digits = true } else if ByteClass.isLetter(b) { letters = true }
                j += 1
            } else if json && b == 0x5C && j + 1 < p.count && p[j + 1] == UInt8(ascii: "/") {
                j += 2
            } else {
                break
            }
            characters += 1
        }
        // A full stop ends the sentence, not the token; `=` padding belongs to it.
        while j > start && p[j - 1] == UInt8(ascii: ".") { j -= 1; characters -= 1 }
        while j < p.count && p[j] == UInt8(ascii: "=") && characters <= 4096 { j += 1; characters += 1 }
        guard characters >= 16, characters <= 4096, letters, digits else { return nil }
        if j < p.count && ByteClass.isWord(p[j]) { return nil }
        var kind = SecretKind.bearerToken
        if let inner = known(p, start, json: json), inner.end == j { kind = inner.kind }
        return SecretMatch(start: start, end: j, kind: kind)
    }

    /// A token of a specific kind at `i`, for naming a bearer token.
    private static func known(_ p: Bytes, _ i: Int, json: Bool) -> SecretMatch? {
        switch p[i] {
        case UInt8(ascii: "e"): return jwt(p, i, json: json)
        case UInt8(ascii: "g"): return gitToken(p, i, json: json)
        case UInt8(ascii: "x"): return slackToken(p, i, json: json)
        case UInt8(ascii: "A"): return awsAccessKey(p, i, json: json)
        default: return nil
        }
    }
}
