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
                if abs(d) < 1e15, let whole = Int(exactly: d) {
                    out.append(contentsOf: String(whole).utf8)
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
        let written: Bool? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            writeString(utf8: utf8, into: &out)
            return true
        }
        if written == nil {
            Array(s.utf8).withUnsafeBufferPointer { writeString(utf8: $0, into: &out) }
        }
    }

    /// `utf8` (valid UTF-8, e.g. JSON text) as one JSON string: quoted and escaped.
    public static func writeString(utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        writeEscaped(utf8, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Escapes 8-byte words at a time into a buffer sized for the worst case (every quote or
    /// backslash doubled; controls, which are rare, counted exactly), storing each word whole
    /// and stepping past its special bytes. A tool result's text is often JSON itself, with a
    /// quote every few bytes; copying the runs between escapes one append at a time cost ~25
    /// instructions a byte there (callgrind, BENCHMARKS.md).
    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard let base = utf8.baseAddress, !utf8.isEmpty else { return }
        let count = utf8.count
        let wholeWords = count / 8
        let tail = UnsafeBufferPointer(rebasing: utf8[(wholeWords * 8)...])
        var anySpecial = false
        var controlBytes = 0
        for word in 0..<wholeWords {
            let value = UInt64(littleEndian: UnsafeRawPointer(base + word * 8).loadUnaligned(as: UInt64.self))
            guard JSONEscapeMask.specials(in: value) != 0 else { continue }
            anySpecial = true
            if JSONEscapeMask.controls(in: value) != 0 {
                controlBytes += addedBytes(in: UnsafeBufferPointer(start: base + word * 8, count: 8), controlsOnly: true)
            }
        }
        let tailAdded = addedBytes(in: tail, controlsOnly: false)
        guard anySpecial || tailAdded > 0 else {
            out.append(contentsOf: utf8)
            return
        }
        // Eight spare bytes: a word is stored whole even where fewer of its bytes are kept.
        let escaped = [UInt8](unsafeUninitializedCapacity: 2 * count + controlBytes + tailAdded + 8) { target, initialized in
            guard let targetBase = target.baseAddress else { return }
            var at = 0
            for word in 0..<wholeWords {
                var value = UInt64(littleEndian: UnsafeRawPointer(base + word * 8).loadUnaligned(as: UInt64.self))
                var specials = JSONEscapeMask.specials(in: value)
                guard JSONEscapeMask.controls(in: value) == 0 else {
                    at = fill(UnsafeBufferPointer(start: base + word * 8, count: 8), into: target, at: at)
                    continue
                }
                var consumed = 0
                while specials != 0 {
                    let position = specials.trailingZeroBitCount >> 3
                    let kept = position - consumed
                    UnsafeMutableRawPointer(targetBase + at).storeBytes(of: value.littleEndian, as: UInt64.self)
                    at += kept
                    targetBase[at] = 0x5C
                    targetBase[at + 1] = UInt8(truncatingIfNeeded: value >> UInt64(kept * 8))
                    at += 2
                    value >>= UInt64((kept + 1) * 8)
                    consumed = position + 1
                    specials &= specials - 1
                }
                UnsafeMutableRawPointer(targetBase + at).storeBytes(of: value.littleEndian, as: UInt64.self)
                at += 8 - consumed
            }
            initialized = fill(tail, into: target, at: at)
        }
        out.append(contentsOf: escaped)
    }

    private static func addedBytes(in bytes: UnsafeBufferPointer<UInt8>, controlsOnly: Bool) -> Int {
        var added = 0
        for byte in bytes where byte < 0x20 || (!controlsOnly && (byte == 0x22 || byte == 0x5C)) {
            added += byte == 0x22 || byte == 0x5C || byte == 0x0A || byte == 0x0D || byte == 0x09 ? 1 : 5
        }
        return added
    }

    private static func fill(_ bytes: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var at = start
        for byte in bytes {
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
                target[at] = byte
                at += 1
                continue
            }
            target[at] = 0x5C
            switch byte {
            case 0x22, 0x5C: target[at + 1] = byte
            case 0x0A: target[at + 1] = UInt8(ascii: "n")
            case 0x0D: target[at + 1] = UInt8(ascii: "r")
            case 0x09: target[at + 1] = UInt8(ascii: "t")
            default:
                target[at + 1] = UInt8(ascii: "u")
                target[at + 2] = UInt8(ascii: "0")
                target[at + 3] = UInt8(ascii: "0")
                target[at + 4] = hex[Int(byte >> 4)]
                target[at + 5] = hex[Int(byte & 0x0F)]
                at += 4
            }
            at += 2
        }
        return at
    }

    public static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        writeString(s, into: &out)
        return out
    }
}
