// A JSON-RPC request id. Kept with its exact encoding so a response echoes the id the
// caller sent byte for byte.

public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case string(String)

    public var encoded: [UInt8] {
        switch self {
        case .int(let i): return Array(String(i).utf8)
        case .string(let s): return JSONWriter.quoted(s)
        }
    }

    public var json: JSONValue {
        switch self {
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        }
    }

    /// The id a parsed JSON value names, or nil when it cannot be one. A number counts only
    /// when it is a whole number that fits exactly (`1e300`, `1.5` and `-9.3e18` do not): a
    /// number from the network is never converted with a trapping initializer.
    public init?(json: JSONValue) {
        switch json {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .double: guard let i = json.intValue else { return nil }; self = .int(i)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }

    init?(bytes: [UInt8], range: Range<Int>) {
        guard let first = range.first.map({ bytes[$0] }) else { return nil }
        if first == UInt8(ascii: "\"") {
            guard let s = JSONScanner.string(in: bytes, range: range) else { return nil }
            self = .string(s)
        } else {
            let text = String(decoding: bytes[range], as: UTF8.self)
            if let i = Int(text) {
                self = .int(i)
            } else if let d = Double(text), let i = Int(exactly: d), i.magnitude < 9_000_000_000_000_000 {
                self = .int(i)
            } else {
                return nil
            }
        }
    }
}
