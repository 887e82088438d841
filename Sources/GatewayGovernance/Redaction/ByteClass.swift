// Byte classes the credential patterns are made of. Comparisons, not tables: they compile to
// a subtraction and a compare each and need no lazily initialised global on the hot path.

enum ByteClass {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    /// Letters, digits and `_`: what a token's neighbour must not be.
    @inline(__always) static func isWord(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: "_") }
    /// The URL-safe base64 alphabet (JWT segments).
    @inline(__always) static func isBase64URL(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
    /// The standard base64 alphabet without padding (AWS secret keys, PEM bodies).
    @inline(__always) static func isBase64(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
    }
    /// RFC 6750 `b64token` (a bearer token) without the trailing `=` padding.
    @inline(__always) static func isToken68(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
            || b == UInt8(ascii: "~") || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
    }
    /// The letters that follow a backslash in a JSON escape whose second byte is a letter.
    @inline(__always) static func isEscapeLetter(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "n") || b == UInt8(ascii: "t") || b == UInt8(ascii: "r")
            || b == UInt8(ascii: "b") || b == UInt8(ascii: "f")
    }
}
