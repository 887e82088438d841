// Compact JSON serialisation for `JSONValue`. Hand-written because Foundation's encoders
// are slow on Linux and escape '/' (which would alter relayed text).

public enum JSONWriter {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    public static func encodeString(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite {
                if d.rounded() == d && abs(d) < 1e15 {
                    out.append(contentsOf: String(Int(d)).utf8)
                } else {
                    out.append(contentsOf: String(d).utf8)
                }
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .raw(let raw): out.append(contentsOf: raw.bytes)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let written: Bool? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            writeEscaped(utf8, into: &out)
            return true
        }
        if written == nil {
            writeEscaped(Array(s.utf8), into: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Copies runs of bytes that need no escaping in one piece: a tool result's text is often
    /// JSON itself, with a quote every few bytes, and byte-by-byte appends cost ~25
    /// instructions a byte there (callgrind, BENCHMARKS.md).
    private static func writeEscaped<Bytes: RandomAccessCollection>(_ utf8: Bytes, into out: inout [UInt8])
        where Bytes.Element == UInt8, Bytes.Index == Int {
        out.reserveCapacity(out.count + utf8.count + utf8.count / 8 + 2)
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
                index += 1
                continue
            }
            if runStart < index { out.append(contentsOf: utf8[runStart..<index]) }
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
            index += 1
            runStart = index
        }
        if runStart < utf8.endIndex { out.append(contentsOf: utf8[runStart..<utf8.endIndex]) }
    }

    public static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        writeString(s, into: &out)
        return out
    }
}
