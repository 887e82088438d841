// The readable form `audit tail` and `audit query` print by default: one row per line, the
// columns an operator scans first. `--json` prints the lines themselves.

import MCPProtocol

public enum AuditTable {
    public static let header = ["TIME", "PRINCIPAL", "FRONT END", "SERVER", "TARGET", "OUTCOME", "MS"]

    public static func row(_ record: JSONObject) -> [String] {
        let target = record["tool"]?.stringValue ?? record["uri"]?.stringValue ?? record["prompt"]?.stringValue
            ?? record["method"]?.stringValue ?? ""
        var outcome = record["outcome"]?.stringValue ?? "?"
        if let rule = record["rule"]?.stringValue { outcome += " (\(rule))" }
        if let code = record["error_code"]?.intValue { outcome += " (\(code))" }
        if let kind = record["failure"]?.stringValue { outcome += " (\(kind))" }
        let duration: String
        switch record["duration_ms"] {
        case .double(let ms)?: duration = String(ms)
        case .int(let ms)?: duration = String(ms)
        default: duration = ""
        }
        return [record["time"]?.stringValue ?? "", record["principal"]?.stringValue ?? "", record["front_end"]?.stringValue ?? "",
                record["server"]?.stringValue ?? "", target, outcome, duration]
    }

    /// Rows padded to their columns' widths (the last column unpadded).
    public static func render(_ rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
