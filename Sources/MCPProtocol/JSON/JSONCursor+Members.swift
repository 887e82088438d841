// What every scanner and parser entry point shares: a cursor over the caller's bytes with its
// parse error passed on, and one walk over an object's members (the entry points differ only
// in what they do with each key and value).

extension JSONCursor {
    /// Runs `body` on a cursor over `bytes[start..<end]` (to the end by default).
    @inline(__always)
    static func reading<Value>(_ bytes: [UInt8], start: Int = 0, end: Int? = nil,
                               _ body: (inout JSONCursor) throws(JSONParseError) -> Value) throws(JSONParseError) -> Value {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var cursor = JSONCursor(buffer, start: start, end: end)
            return try body(&cursor)
        }
    }

    /// The same over a slice, whose first byte is the cursor's position 0.
    @inline(__always)
    static func reading<Value>(_ bytes: ArraySlice<UInt8>,
                               _ body: (inout JSONCursor) throws(JSONParseError) -> Value) throws(JSONParseError) -> Value {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var cursor = JSONCursor(buffer)
            return try body(&cursor)
        }
    }

    /// Walks the object at the cursor. `body` gets each key, read but not decoded, with the
    /// cursor at its value; it must move the cursor past the value, and returns false to stop
    /// there. Returns true when the closing brace was passed.
    @inline(__always)
    mutating func walkMembers(_ body: (inout JSONCursor, LiteralKey) throws(JSONParseError) -> Bool) throws(JSONParseError) -> Bool {
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        // The object is a level of nesting for the values inside it, as in the tree parser.
        depth += 1
        defer { depth -= 1 }
        if depth > JSONCursor.maxDepth { throw error("nesting too deep") }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return true
        }
        while true {
            skipWhitespace()
            let key = try scanKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            guard try body(&self, key) else { return false }
            skipWhitespace()
            guard let next = peek() else { throw error("unterminated object") }
            position += 1
            if next == UInt8(ascii: "}") { return true }
            guard next == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
        }
    }

    /// A scanned key as a String.
    func decode(_ key: LiteralKey) throws(JSONParseError) -> String {
        guard key.escaped else {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[key.body]), as: UTF8.self)
        }
        var decoder = JSONCursor(bytes, start: key.body.lowerBound - 1, end: key.body.upperBound + 1)
        return try decoder.parseString()
    }
}
