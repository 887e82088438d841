// Finds the members of a JSON object as byte ranges without building values. This is how
// the hot path reads envelopes: decode `id`/`method`, leave `params`/`result` as bytes.

public enum JSONScanner {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var range: Range<Int>
    }

    /// A member name to look up by its bytes (`values(of:in:range:)`), encoded once.
    public struct Key: Sendable {
        public let name: String
        let utf8: [UInt8]
        public init(_ name: String) {
            self.name = name
            utf8 = Array(name.utf8)
        }
    }

    /// The top-level members of the object held in `bytes[range]`.
    public static func members(of bytes: [UInt8], in range: Range<Int>? = nil) throws(JSONParseError) -> [Member] {
        let result: Result<[Member], JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            let r = range ?? 0..<buffer.count
            var cursor = JSONCursor(buffer, start: r.lowerBound, end: r.upperBound)
            do throws(JSONParseError) {
                return .success(try members(&cursor))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func members(_ cursor: inout JSONCursor) throws(JSONParseError) -> [Member] {
        let members = try objectMembers(&cursor)
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.error("trailing characters") }
        return members
    }

    /// The top-level members of the object in `bytes`, and the members of the object value of
    /// `key` found in the same pass (nil when absent or not an object; then it is only skipped).
    public static func members(of bytes: [UInt8], expanding key: String) throws(JSONParseError) -> ([Member], [Member]?) {
        let result: Result<([Member], [Member]?), JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            var members: [Member] = []
            var expanded: [Member]?
            do throws(JSONParseError) {
                _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                    if members.isEmpty { members.reserveCapacity(8) }
                    let name = try cursor.decode(literal)
                    let range: Range<Int>
                    if expanded == nil, name == key, cursor.peek() == UInt8(ascii: "{") {
                        let start = cursor.position
                        expanded = try objectMembers(&cursor)
                        range = start..<cursor.position
                    } else {
                        range = try cursor.skipValue()
                    }
                    members.append(Member(key: name, range: range))
                    return true
                }
                cursor.skipWhitespace()
                guard cursor.atEnd else { throw cursor.error("trailing characters") }
                return .success((members, expanded))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The members of the object that begins at `start`, and the index just past its `}`;
    /// whatever follows the object is not read.
    public static func members(ofObjectAt start: Int, in bytes: [UInt8]) throws(JSONParseError) -> (members: [Member], end: Int) {
        let result: Result<([Member], Int), JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, start: start)
            do throws(JSONParseError) {
                let members = try objectMembers(&cursor)
                return .success((members, cursor.position))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Where the value of the top-level member `key` begins; the members before it are skipped,
    /// the value itself and what follows are not read. Nil when the object has no such member.
    public static func valueStart(of key: String, in bytes: [UInt8]) throws(JSONParseError) -> Int? {
        let result: Result<Int?, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            let wanted = Array(key.utf8)
            var cursor = JSONCursor(buffer)
            var start: Int?
            do throws(JSONParseError) {
                _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                    if cursor.matches(literal, wanted) {
                        start = cursor.position
                        return false
                    }
                    _ = try cursor.skipValue()
                    return true
                }
                return .success(start)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The values of the given members of the object held in `bytes[range]`, in the order of
    /// `keys` (nil where absent). Keys are compared as bytes: no String is made for them,
    /// which is what reading a few members out of a request's `_meta` on every call wants.
    public static func values(of keys: [Key], in bytes: [UInt8], range: Range<Int>) throws(JSONParseError) -> [Range<Int>?] {
        let result: Result<[Range<Int>?], JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, start: range.lowerBound, end: range.upperBound)
            var found = [Range<Int>?](repeating: nil, count: keys.count)
            do throws(JSONParseError) {
                _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
                    let reader = cursor
                    let index = keys.firstIndex { reader.matches(literal, $0.utf8) }
                    let value = try cursor.skipValue()
                    if let index, found[index] == nil { found[index] = value }
                    return true
                }
                cursor.skipWhitespace()
                guard cursor.atEnd else { throw cursor.error("trailing characters") }
                return .success(found)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func objectMembers(_ cursor: inout JSONCursor) throws(JSONParseError) -> [Member] {
        var members: [Member] = []
        _ = try cursor.walkMembers { cursor, literal throws(JSONParseError) in
            // One allocation for the usual handful of members instead of growing 1, 2, 4, 8.
            if members.isEmpty { members.reserveCapacity(8) }
            members.append(Member(key: try cursor.decode(literal), range: try cursor.skipValue()))
            return true
        }
        return members
    }

    /// The elements of the array held in `bytes[range]`, as byte ranges.
    public static func elements(of bytes: [UInt8], in range: Range<Int>) throws(JSONParseError) -> [Range<Int>] {
        let result: Result<[Range<Int>], JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, start: range.lowerBound, end: range.upperBound)
            do throws(JSONParseError) {
                cursor.skipWhitespace()
                try cursor.expect(UInt8(ascii: "["))
                var elements: [Range<Int>] = []
                cursor.skipWhitespace()
                if cursor.peek() == UInt8(ascii: "]") { return .success(elements) }
                while true {
                    elements.append(try cursor.skipValue())
                    cursor.skipWhitespace()
                    guard let next = cursor.peek() else { throw cursor.error("unterminated array") }
                    cursor.position += 1
                    if next == UInt8(ascii: "]") { break }
                    guard next == UInt8(ascii: ",") else { throw cursor.error("expected ',' or ']'") }
                }
                return .success(elements)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes a JSON string literal held in `bytes[range]`.
    public static func string(in bytes: [UInt8], range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, start: range.lowerBound, end: range.upperBound)
            return try? cursor.parseString()
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
