// Output of every subcommand: one machine-readable JSON line (stdout) and one human line
// (stderr, so `> results.jsonl` captures only JSON).

import MCPProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum JSONNumberOrText: Sendable {
    case int(Int)
    case number(Double, decimals: Int)
    case text(String)
    case flag(Bool)
}

enum Report {
    /// Prints `{"bench": name, "label": label, ...fields}` on stdout and `human` on stderr.
    static func emit(bench: String, label: String?, fields: [(String, JSONNumberOrText)], human: String) {
        var line = "{\"bench\":\(quoted(bench))"
        if let label { line += ",\"label\":\(quoted(label))" }
        for (key, value) in fields {
            line += ",\(quoted(key)):"
            switch value {
            case .int(let i): line += String(i)
            case .number(let d, let decimals): line += d.isFinite ? format(d, decimals: decimals) : "null"
            case .text(let s): line += quoted(s)
            case .flag(let b): line += b ? "true" : "false"
            }
        }
        line += "}"
        print(line)
        fflush(nil)
        let prefix = label.map { "[\($0)] " } ?? "[\(bench)] "
        writeStandardError(prefix + human + "\n")
    }

    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.writeString(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Fixed-point formatting without Foundation: `decimals` digits after the point.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "nan" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let integer = Int64(scaled)
        let divisor = Int64(scale)
        var text = String(integer / divisor)
        if decimals > 0 {
            let fraction = String(integer % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && scaled > 0 ? "-" : "") + text
    }

    static func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
