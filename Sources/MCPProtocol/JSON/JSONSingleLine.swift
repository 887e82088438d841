// Makes a JSON message safe for a newline-framed channel (stdio, both directions): one line,
// whatever the bytes that came in. Arguments, params and results are relayed as bytes, so a
// pretty-printed body, or a JSON string the invoke tool unwraps, could carry raw line breaks —
// and every line on a stdio channel is a message: a backend executed a request no client sent,
// and a backend's pretty-printed answer printed a forged response on the stdio front end.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum JSONSingleLine {
    /// `message` unchanged when it holds no CR or LF (the common case: two memchr scans), else
    /// re-emitted with whitespace outside strings removed and any raw CR/LF inside a string
    /// escaped (valid JSON has none there; invalid JSON must not split the frame either).
    @inlinable
    public static func make(_ message: [UInt8]) -> [UInt8] {
        hasLineBreak(message) ? compacted(message) : message
    }

    /// Whether `bytes` hold a CR or LF. memchr is vectorised by the C library: measured at well
    /// under a nanosecond per byte, where a Swift byte loop costs several.
    public static func hasLineBreak(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return false }
            return memchr(base, 0x0A, raw.count) != nil || memchr(base, 0x0D, raw.count) != nil
        }
    }

    /// The lexical pass: strings are copied (escapes kept as written), whitespace between tokens
    /// is dropped. Never fails: bytes that are not JSON still come out as one line.
    public static func compacted(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                    // A backslash followed by a raw line break: keep the escape well-formed.
                    switch byte {
                    case 0x0A: out.append(UInt8(ascii: "n")); continue
                    case 0x0D: out.append(UInt8(ascii: "r")); continue
                    default: break
                    }
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else if byte == 0x0A || byte == 0x0D {
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte == 0x0A ? UInt8(ascii: "n") : UInt8(ascii: "r"))
                    continue
                }
                out.append(byte)
            } else {
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D: continue
                case UInt8(ascii: "\""): inString = true
                default: break
                }
                out.append(byte)
            }
        }
        return out
    }
}
