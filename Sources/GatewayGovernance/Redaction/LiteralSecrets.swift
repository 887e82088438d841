// The gateway's own secrets as byte strings to find. A value can reach a result as it is
// (plain text, an error message) or JSON-escaped inside a string, so each is kept in the forms
// it takes in each; a pair-of-first-bytes filter makes a position that starts no secret cost
// one bit test.

struct LiteralSecrets: Sendable {
    /// Shorter values would match ordinary words; they are left out.
    static let minimumLength = 8

    /// One set of forms to find, indexed by the first two bytes.
    struct Index: Sendable {
        /// Bit `b0 << 8 | b1` set when some form starts with bytes b0, b1.
        private(set) var pairs = [UInt64](repeating: 0, count: 1024)
        /// The forms starting with each pair, longest first (a longer secret holding a shorter
        /// one is replaced whole).
        private var byPair: [UInt16: [[UInt8]]] = [:]
        /// The first bytes of every form.
        private(set) var firstBytes: Set<UInt8> = []

        init(_ forms: Set<[UInt8]>) {
            for form in forms.sorted(by: { $0.count > $1.count }) {
                let key = UInt16(form[0]) << 8 | UInt16(form[1])
                pairs[Int(key >> 6)] |= 1 << UInt64(key & 63)
                byPair[key, default: []].append(form)
                firstBytes.insert(form[0])
            }
        }

        var isEmpty: Bool { byPair.isEmpty }

        /// The end of the form that starts at `i`, if one does.
        @inline(__always)
        func match(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
            guard i + 1 < p.count else { return nil }
            let key = UInt16(p[i]) << 8 | UInt16(p[i + 1])
            guard pairs[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0, let forms = byPair[key] else { return nil }
            for form in forms where i + form.count <= p.count {
                var k = 2
                while k < form.count && p[i + k] == form[k] { k += 1 }
                if k == form.count { return i + k }
            }
            return nil
        }
    }

    /// Forms to find in JSON text.
    let json: Index
    /// Forms to find in plain text (error messages).
    let text: Index

    init(_ values: [String]) {
        var jsonForms: Set<[UInt8]> = []
        var textForms: Set<[UInt8]> = []
        for value in values {
            let raw = Array(value.utf8)
            guard raw.count >= Self.minimumLength else { continue }
            textForms.insert(raw)
            let escaped = Self.jsonEscaped(raw, slash: false)
            jsonForms.insert(escaped)
            // Some encoders write `/` as `\/`.
            if raw.contains(UInt8(ascii: "/")) { jsonForms.insert(Self.jsonEscaped(raw, slash: true)) }
        }
        json = Index(jsonForms)
        text = Index(textForms)
    }

    /// `bytes` as they appear inside a JSON string: only whole escapes, so a match never
    /// starts or ends inside one.
    static func jsonEscaped(_ bytes: [UInt8], slash: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let hex = Array("0123456789abcdef".utf8)
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out += [0x5C, b]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case UInt8(ascii: "/") where slash: out += [0x5C, b]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        return out
    }
}
