// Byte-level JSON reading shared by the tree parser and the envelope scanner.
// Works on an unsafe buffer so that skipping a large `params` costs one pass, no allocation.

struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int
    var depth = 0
    static let maxDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        // A range past the buffer (a caller's mistake) ends at the buffer: never read out of bounds.
        self.end = min(end ?? bytes.count, bytes.count)
    }

    func error(_ message: String) -> JSONParseError { JSONParseError(message, at: position) }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    var atEnd: Bool { position >= end }

    @inline(__always)
    func peek() -> UInt8? { position < end ? bytes[position] : nil }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard position < end, bytes[position] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= end else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for i in 0..<count where bytes[position + i] != start[i] {
            throw error("invalid literal")
        }
        position += count
    }

    /// Skips one value of any type and returns its byte range.
    mutating func skipValue() throws(JSONParseError) -> Range<Int> {
        skipWhitespace()
        let start = position
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        default:
            throw error("unexpected character")
        }
        return start..<position
    }

    /// Skips an object or array, checking its grammar without building values: a missing
    /// comma or colon, a bad literal, number or escape, a mismatched bracket is an error
    /// here, so a message relayed to a backend is always valid JSON (the backend would
    /// otherwise get it, fail to parse it, and the call would wait for its timeout). The
    /// kinds of the open containers are bits of one word for the first 64 levels, an array
    /// only beyond (no allocation for ordinary messages).
    private mutating func skipContainer() throws(JSONParseError) {
        var kinds = ContainerKinds()
        // Each pass: at a value (or a key, in an object) to read, or after one.
        var expectingValue = true
        while true {
            skipWhitespace()
            guard position < end else { throw error("unterminated container") }
            let byte = bytes[position]
            if expectingValue {
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    // `depth`: the levels a walker (an object's members, an array's elements)
                    // has opened around this value, so that every reader stops at the same depth.
                    guard kinds.depth + depth < JSONCursor.maxDepth else { throw error("nesting too deep") }
                    let isObject = byte == UInt8(ascii: "{")
                    kinds.push(object: isObject)
                    position += 1
                    skipWhitespace()
                    if let close = peek(), close == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        position += 1
                        kinds.pop()
                        if kinds.depth == 0 { return }
                        expectingValue = false
                        continue
                    }
                    if isObject { try skipMemberKey() }
                    continue
                case UInt8(ascii: "\""): try skipString()
                case UInt8(ascii: "t"): try expectLiteral("true")
                case UInt8(ascii: "f"): try expectLiteral("false")
                case UInt8(ascii: "n"): try expectLiteral("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
                default: throw error("unexpected character")
                }
                expectingValue = false
                continue
            }
            // After a value: a comma and the next one, or the close of its container.
            let inObject = kinds.topIsObject
            switch byte {
            case UInt8(ascii: ","):
                position += 1
                if inObject {
                    skipWhitespace()
                    try skipMemberKey()
                }
                expectingValue = true
            case UInt8(ascii: "}") where inObject, UInt8(ascii: "]") where !inObject:
                position += 1
                kinds.pop()
                if kinds.depth == 0 { return }
            default:
                throw error(inObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
    }

    /// `"key" :` inside an object, up to its value.
    private mutating func skipMemberKey() throws(JSONParseError) {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
        try skipString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
    }

    /// Which open containers are objects: one word of bits, an array beyond 64 levels.
    struct ContainerKinds {
        private(set) var depth = 0
        private var low: UInt64 = 0
        private var high: [Bool] = []

        var topIsObject: Bool {
            depth <= 64 ? low & (1 << UInt64(depth - 1)) != 0 : high[depth - 65]
        }

        mutating func push(object: Bool) {
            if depth < 64 {
                if object { low |= 1 << UInt64(depth) } else { low &= ~(1 << UInt64(depth)) }
            } else {
                high.append(object)
            }
            depth += 1
        }

        mutating func pop() {
            depth -= 1
            if depth >= 64 { high.removeLast() }
        }
    }

    /// Advances over string bytes that need no attention (not `"`, `\\` or a control
    /// character), eight at a time: string bodies are most of what the hot path scans.
    mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= end {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte is zero in `quote`/`backslash`, or below 0x20 in `word`: exact as a yes/no.
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return }
            position += 8
        }
    }

    /// A string literal read without decoding it: its bytes between the quotes.
    struct LiteralKey {
        let body: Range<Int>
        let escaped: Bool
    }

    mutating func scanKey() throws(JSONParseError) -> LiteralKey {
        try expect(UInt8(ascii: "\""))
        let start = position
        skipPlainStringBytes()
        if position < end, bytes[position] == UInt8(ascii: "\"") {
            position += 1
            return LiteralKey(body: start..<(position - 1), escaped: false)
        }
        // Stopped early on a plain byte of the last short word, an escape or a control character.
        let escaped = try skipStringRest()
        return LiteralKey(body: start..<(position - 1), escaped: escaped)
    }

    /// Whether a scanned key equals the name whose UTF-8 is `key`: bytes compared when the
    /// literal has no escapes (the usual case), decoded otherwise.
    func matches(_ literal: LiteralKey, _ key: [UInt8]) -> Bool {
        if literal.escaped {
            return (try? decode(literal)).map { Array($0.utf8) == key } ?? false
        }
        guard key.count == literal.body.count else { return false }
        return key.withUnsafeBufferPointer { wanted in
            guard let wantedBase = wanted.baseAddress, let base = bytes.baseAddress else { return wanted.isEmpty }
            let found = UnsafeRawPointer(base + literal.body.lowerBound)
            let expected = UnsafeRawPointer(wantedBase)
            var offset = 0
            while offset + 8 <= wanted.count {
                if found.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset += 8
            }
            while offset < wanted.count {
                if found.load(fromByteOffset: offset, as: UInt8.self) != wanted[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    mutating func skipString() throws(JSONParseError) {
        try expect(UInt8(ascii: "\""))
        skipPlainStringBytes()
        _ = try skipStringRest()
    }

    /// Finishes a string whose opening quote is behind the cursor; tells whether it had escapes.
    private mutating func skipStringRest() throws(JSONParseError) -> Bool {
        var escaped = false
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { position += 1; return escaped }
            if byte == UInt8(ascii: "\\") {
                try skipEscape()
                escaped = true
                continue
            }
            if byte < 0x20 { throw error("control character in string") }
            position += 1
        }
        throw error("unterminated string")
    }

    /// One escape sequence after its backslash: one of `" \\ / b f n r t`, or `u` and four hex digits;
    /// anything else is not JSON.
    @inline(__always)
    private mutating func skipEscape() throws(JSONParseError) {
        guard position + 1 < end else { throw error("unterminated string") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            guard position + 6 <= end else { throw error("unterminated string") }
            for i in 2..<6 {
                switch bytes[position + i] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): continue
                default: throw error("invalid \\u escape")
                }
            }
            position += 6
        default:
            throw error("invalid escape")
        }
    }

    /// Returns the number's byte range after validating its grammar.
    mutating func scanNumber() throws(JSONParseError) -> Range<Int> {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw error("invalid number")
        }
        if first == UInt8(ascii: "0") {
            position += 1
        } else {
            while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { throw error("invalid number") }
            while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { position += 1 }
            guard let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { throw error("invalid number") }
            while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
        }
        return start..<position
    }

    /// Decodes a string literal, handling every escape including surrogate pairs.
    mutating func parseString() throws(JSONParseError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        // Fast path: no escapes.
        skipPlainStringBytes()
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return s
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in string") }
            position += 1
        }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte < 0x20 { throw error("control character in string") }
            if byte != UInt8(ascii: "\\") {
                utf8.append(byte)
                position += 1
                continue
            }
            position += 1
            guard let escape = peek() else { break }
            position += 1
            switch escape {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    if position + 1 < end, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try readHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                utf8.append(contentsOf: String(character).utf8)
            default:
                throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= end else { throw error("short unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid unicode escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
