// The canonical form of a JSON text, so the same arguments digest the same however a client
// wrote them: object members sorted by key (UTF-16 code units, as RFC 8785 sorts them), no
// insignificant whitespace, strings re-escaped one way (RFC 8785's: `\"`, `\\`, the short
// escapes `\b \f \n \r \t`, other control characters as `\u00xx`, everything else as UTF-8, so
// `"\u00e9"` and `"é"` are one string). Numbers stay as written: `1`, `1.0` and `1e0` are
// different texts a backend may tell apart, so they digest differently (RFC 8785 would rewrite
// them through a double and lose precision of large integers).

public enum CanonicalJSON {
    /// Deeper nesting is refused (nil) rather than recursed into.
    public static let maxDepth = 512

    /// The canonical bytes of `json`; nil when it is not one valid JSON value.
    public static func canonical(_ json: [UInt8]) -> [UInt8]? {
        json.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            var out: [UInt8] = []
            out.reserveCapacity(buffer.count)
            reader.skipWhitespace()
            guard reader.value(into: &out, depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.position == buffer.count ? out : nil
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func value(into out: inout [UInt8], depth: Int) -> Bool {
            guard depth < CanonicalJSON.maxDepth, let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "{"): return object(into: &out, depth: depth + 1)
            case UInt8(ascii: "["): return array(into: &out, depth: depth + 1)
            case UInt8(ascii: "\""):
                guard let scalars = string() else { return false }
                Self.write(scalars, into: &out)
                return true
            case UInt8(ascii: "t"): return literal("true", into: &out)
            case UInt8(ascii: "f"): return literal("false", into: &out)
            case UInt8(ascii: "n"): return literal("null", into: &out)
            default: return number(into: &out)
            }
        }

        private mutating func literal(_ word: StaticString, into out: inout [UInt8]) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            out.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: count))
            position += count
            return true
        }

        /// Checked against the JSON grammar, copied as written.
        private mutating func number(into out: inout [UInt8]) -> Bool {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, Self.isDigit(first) else { return false }
            position += 1
            if first != UInt8(ascii: "0") { while let d = current, Self.isDigit(d) { position += 1 } }
            if current == UInt8(ascii: ".") {
                position += 1
                guard let d = current, Self.isDigit(d) else { return false }
                while let d = current, Self.isDigit(d) { position += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard let d = current, Self.isDigit(d) else { return false }
                while let d = current, Self.isDigit(d) { position += 1 }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            return true
        }

        private mutating func array(into out: inout [UInt8], depth: Int) -> Bool {
            position += 1
            out.append(UInt8(ascii: "["))
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                position += 1
                out.append(UInt8(ascii: "]"))
                return true
            }
            while true {
                skipWhitespace()
                guard value(into: &out, depth: depth) else { return false }
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","):
                    position += 1
                    out.append(UInt8(ascii: ","))
                case UInt8(ascii: "]"):
                    position += 1
                    out.append(UInt8(ascii: "]"))
                    return true
                default:
                    return false
                }
            }
        }

        private mutating func object(into out: inout [UInt8], depth: Int) -> Bool {
            position += 1
            var members: [(key: [UInt16], text: [UInt8])] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    skipWhitespace()
                    guard current == UInt8(ascii: "\""), let key = string() else { return false }
                    skipWhitespace()
                    guard current == UInt8(ascii: ":") else { return false }
                    position += 1
                    skipWhitespace()
                    var text: [UInt8] = []
                    Self.write(key, into: &text)
                    text.append(UInt8(ascii: ":"))
                    guard value(into: &text, depth: depth) else { return false }
                    members.append((Self.utf16(key), text))
                    skipWhitespace()
                    if current == UInt8(ascii: ",") {
                        position += 1
                        continue
                    }
                    guard current == UInt8(ascii: "}") else { return false }
                    position += 1
                    break
                }
            }
            // Stable: repeated keys keep their order.
            let sorted = members.enumerated().sorted { lhs, rhs in
                lhs.element.key.lexicographicallyPrecedes(rhs.element.key)
                    || (lhs.element.key == rhs.element.key && lhs.offset < rhs.offset)
            }
            out.append(UInt8(ascii: "{"))
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: member.element.text)
            }
            out.append(UInt8(ascii: "}"))
            return true
        }

        /// A string's code points (lone surrogates kept as themselves, to be escaped again).
        private mutating func string() -> [UInt32]? {
            position += 1
            var scalars: [UInt32] = []
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return scalars
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escaped = current else { return nil }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(UInt32(escaped))
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let unit = hex4() else { return nil }
                        if (0xD800...0xDBFF).contains(unit), position + 1 < bytes.count,
                           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                            let mark = position
                            position += 2
                            if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                                scalars.append(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                                continue
                            }
                            position = mark
                        }
                        scalars.append(unit)
                    default:
                        return nil
                    }
                case 0x00..<0x20:
                    return nil
                case 0x00..<0x80:
                    scalars.append(UInt32(byte))
                    position += 1
                default:
                    guard let scalar = utf8Sequence() else { return nil }
                    scalars.append(scalar)
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = bytes[position + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            position += 4
            return value
        }

        /// One multi-byte UTF-8 sequence, validated (no overlong forms, no surrogates).
        private mutating func utf8Sequence() -> UInt32? {
            let lead = bytes[position]
            let length: Int, initial: UInt32, minimum: UInt32
            switch lead {
            case 0xC2...0xDF: (length, initial, minimum) = (2, UInt32(lead & 0x1F), 0x80)
            case 0xE0...0xEF: (length, initial, minimum) = (3, UInt32(lead & 0x0F), 0x800)
            case 0xF0...0xF4: (length, initial, minimum) = (4, UInt32(lead & 0x07), 0x10000)
            default: return nil
            }
            guard position + length <= bytes.count else { return nil }
            var scalar = initial
            for offset in 1..<length {
                let next = bytes[position + offset]
                guard next & 0xC0 == 0x80 else { return nil }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return nil }
            position += length
            return scalar
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        static func utf16(_ scalars: [UInt32]) -> [UInt16] {
            var units: [UInt16] = []
            units.reserveCapacity(scalars.count)
            for scalar in scalars {
                if scalar >= 0x10000 {
                    let v = scalar - 0x10000
                    units.append(UInt16(0xD800 + (v >> 10)))
                    units.append(UInt16(0xDC00 + (v & 0x3FF)))
                } else {
                    units.append(UInt16(scalar))
                }
            }
            return units
        }

        static func write(_ scalars: [UInt32], into out: inout [UInt8]) {
            let hex = Array("0123456789abcdef".utf8)
            out.append(UInt8(ascii: "\""))
            for scalar in scalars {
                switch scalar {
                case 0x22: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case 0x5C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20, 0xD800...0xDFFF:
                    // Control characters, and lone surrogates (no UTF-8 form), as \uxxxx.
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
                    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
                case 0..<0x80:
                    out.append(UInt8(scalar))
                case 0..<0x800:
                    out.append(UInt8(0xC0 | (scalar >> 6)))
                    out.append(UInt8(0x80 | (scalar & 0x3F)))
                case 0..<0x10000:
                    out.append(UInt8(0xE0 | (scalar >> 12)))
                    out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (scalar & 0x3F)))
                default:
                    out.append(UInt8(0xF0 | (scalar >> 18)))
                    out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                    out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (scalar & 0x3F)))
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}
