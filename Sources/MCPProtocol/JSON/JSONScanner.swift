// Finds the members of a JSON object as byte ranges without building values. This is how
// the hot path reads envelopes: decode `id`/`method`, leave `params`/`result` as bytes.

public enum JSONScanner {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var range: Range<Int>
    }

    /// A member name to look up by its bytes (`values(of:in:range:)`), encoded once.
    public struct Key: Sendable {
        let utf8: [UInt8]
        public init(_ name: String) { utf8 = Array(name.utf8) }
    }

    /// The top-level members of the object held in `bytes[range]`.
    public static func members(of bytes: [UInt8], in range: Range<Int>? = nil) throws(JSONParseError) -> [Member] {
        try JSONCursor.reading(bytes, start: range?.lowerBound ?? 0, end: range?.upperBound) { cursor throws(JSONParseError) in
            let members = try objectMembers(&cursor)
            try finish(&cursor)
            return members
        }
    }

    /// The top-level members of the object in `bytes`, and the members of the object value of
    /// `key` found in the same pass (nil when absent or not an object; then it is only skipped).
    public static func members(of bytes: [UInt8], expanding key: String) throws(JSONParseError) -> ([Member], [Member]?) {
        try JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
            var members: [Member] = []
            var finder = RepeatedKeyFinder()
            var expanded: [Member]?
            _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                if members.isEmpty { members.reserveCapacity(8) }
                let name = try cursor.decode(literal)
                let range: Range<Int>
                if name == key, cursor.peek() == UInt8(ascii: "{") {
                    let start = cursor.position
                    expanded = try objectMembers(&cursor)
                    range = start..<cursor.position
                } else {
                    if name == key { expanded = nil }
                    range = try cursor.skipValue()
                }
                add(Member(key: name, range: range), to: &members, finder: &finder)
                return true
            }
            try finish(&cursor)
            return (members, expanded)
        }
    }

    /// The members of the object that begins at `start`, and the index just past its `}`;
    /// whatever follows the object is not read.
    public static func members(ofObjectAt start: Int, in bytes: [UInt8]) throws(JSONParseError) -> (members: [Member], end: Int) {
        try JSONCursor.reading(bytes, start: start) { cursor throws(JSONParseError) in
            (try objectMembers(&cursor), cursor.position)
        }
    }

    /// Where the value of the top-level member `key` begins; the members before it are skipped,
    /// the value itself and what follows are not read. Nil when the object has no such member.
    public static func valueStart(of key: String, in bytes: [UInt8]) throws(JSONParseError) -> Int? {
        let wanted = Array(key.utf8)
        return try JSONCursor.reading(bytes) { cursor throws(JSONParseError) in
            var start: Int?
            _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                if cursor.matches(literal, wanted) {
                    start = cursor.position
                    return false
                }
                _ = try cursor.skipValue()
                return true
            }
            return start
        }
    }

    /// The values of the given members of the object held in `bytes[range]`, in the order of
    /// `keys` (nil where absent). Keys are compared as bytes: no String is made for them,
    /// which is what reading a few members out of a request's `_meta` on every call wants.
    public static func values(of keys: [Key], in bytes: [UInt8], range: Range<Int>) throws(JSONParseError) -> [Range<Int>?] {
        try JSONCursor.reading(bytes, start: range.lowerBound, end: range.upperBound) { cursor throws(JSONParseError) in
            let (found, _) = try memberValues(of: keys, &cursor)
            try finish(&cursor)
            return found
        }
    }

    /// Which of `keys` the object beginning at `start` has as members, and how many members it
    /// has; what follows the object is not read.
    public static func presence(of keys: [Key], inObjectAt start: Int, in bytes: [UInt8]) throws(JSONParseError) -> (present: [Bool], memberCount: Int) {
        try JSONCursor.reading(bytes, start: start) { cursor throws(JSONParseError) in
            let (found, count) = try memberValues(of: keys, &cursor)
            return (found.map { $0 != nil }, count)
        }
    }

    /// One walk over an object's members: the value ranges of `keys` (last occurrence, nil
    /// where absent) and the number of members. Keys are compared as bytes: no String is made.
    private static func memberValues(of keys: [Key], _ cursor: inout JSONCursor) throws(JSONParseError) -> (found: [Range<Int>?], count: Int) {
        var found = [Range<Int>?](repeating: nil, count: keys.count)
        var count = 0
        _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
            let reader = cursor
            let index = keys.firstIndex { reader.matches(literal, $0.utf8) }
            let value = try cursor.skipValue()
            if let index { found[index] = value }
            count += 1
            return true
        }
        return (found, count)
    }

    static func objectMembers(_ cursor: inout JSONCursor) throws(JSONParseError) -> [Member] {
        var members: [Member] = []
        var finder = RepeatedKeyFinder()
        _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
            // One allocation for the usual handful of members instead of growing 1, 2, 4, 8.
            if members.isEmpty { members.reserveCapacity(8) }
            add(Member(key: try cursor.decode(literal), range: try cursor.skipValue()), to: &members, finder: &finder)
            return true
        }
        return members
    }

    /// A repeated key keeps its last value, in the first one's place: the backends' parsers
    /// (Python's json, JavaScript's JSON.parse) read the last, and the gateway must read what they
    /// will, or a check of one `name` would pass a call that runs another.
    @inline(__always)
    private static func add(_ member: Member, to members: inout [Member], finder: inout RepeatedKeyFinder) {
        if let earlier = finder.earlier(member.key, count: members.count, keyAt: { members[$0].key }) {
            members[earlier] = member
        } else {
            members.append(member)
        }
    }

    /// Only whitespace may follow the value just read.
    private static func finish(_ cursor: inout JSONCursor) throws(JSONParseError) {
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.error("trailing characters") }
    }

    /// The elements of the array held in `bytes[range]`, as byte ranges.
    public static func elements(of bytes: [UInt8], in range: Range<Int>) throws(JSONParseError) -> [Range<Int>] {
        try JSONCursor.reading(bytes, start: range.lowerBound, end: range.upperBound) { cursor throws(JSONParseError) in
            cursor.skipWhitespace()
            try cursor.expect(UInt8(ascii: "["))
            // The array is a level of nesting for its elements, as in the tree parser.
            cursor.depth += 1
            var elements: [Range<Int>] = []
            cursor.skipWhitespace()
            if cursor.peek() == UInt8(ascii: "]") {
                cursor.position += 1
                try finish(&cursor)
                return elements
            }
            while true {
                elements.append(try cursor.skipValue())
                cursor.skipWhitespace()
                guard let next = cursor.peek() else { throw cursor.error("unterminated array") }
                cursor.position += 1
                if next == UInt8(ascii: "]") { break }
                guard next == UInt8(ascii: ",") else { throw cursor.error("expected ',' or ']'") }
            }
            // As for objects: a batch body `[…]` followed by anything but whitespace is not JSON.
            try finish(&cursor)
            return elements
        }
    }

    /// Decodes a JSON string literal held in `bytes[range]`.
    public static func string(in bytes: [UInt8], range: Range<Int>) -> String? {
        try? JSONCursor.reading(bytes, start: range.lowerBound, end: range.upperBound) { cursor throws(JSONParseError) in
            try cursor.parseString()
        }
    }

    /// Whether the first non-space byte is `[` (a JSON-RPC batch).
    public static func isArray(_ bytes: [UInt8]) -> Bool {
        for byte in bytes {
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: continue
            case UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }
}
