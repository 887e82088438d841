// A JSON tree for the gateway's own small messages (meta-tool arguments and results).
// Backend payloads never go through this type on the hot path: they travel as raw bytes
// and are embedded verbatim with `.raw`.

public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
    /// Pre-encoded JSON, written out byte for byte (never produced by the parser).
    case raw(RawJSON)

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        // Int(exactly:) rather than Int(_:), which traps on 1e300 and on non-finite values.
        case .double(let d) where abs(d) < 9.0e15: return Int(exactly: d)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

/// Pre-encoded JSON bytes; the producer guarantees they are one valid JSON value.
public struct RawJSON: Sendable, Equatable, Hashable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 { self.bytes = Array(bytes) }
    public init(string: String) { self.bytes = Array(string.utf8) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Parses the bytes into a tree (off the hot path only).
    public func parsed() throws -> JSONValue { try JSONParser.parse(bytes) }

    public static let emptyObject = RawJSON(Array("{}".utf8))
    public static let null = RawJSON(Array("null".utf8))
}
