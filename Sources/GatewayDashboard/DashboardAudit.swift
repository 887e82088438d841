// The audit page's lines: the newest matching lines of the trail's current file, read line by
// line (the file can be large; only the last `limit` matches are kept).

import GatewayGovernance
import MCPProtocol

enum DashboardAudit {
    static func tail(path: String, filter: AuditRecordFilter, limit: Int) -> [[String: Any]] {
        var kept: [JSONObject] = []
        kept.reserveCapacity(limit)
        var next = 0
        _ = AuditFiles.forEachLine(in: path) { line in
            guard let record = filter.matching(line) else { return }
            if kept.count < limit {
                kept.append(record)
            } else {
                kept[next] = record
                next = (next + 1) % limit
            }
        }
        let ordered = kept.count < limit ? kept : Array(kept[next...] + kept[..<next])
        return ordered.reversed().map { record in
            let text: (String) -> String = { record[$0]?.stringValue ?? "" }
            let target = [text("tool"), text("prompt"), text("uri")].first { !$0.isEmpty } ?? text("method")
            var duration = ""
            switch record["duration_ms"] {
            case .double(let value): duration = DashboardSummary.milliseconds(value)
            case .int(let value): duration = DashboardSummary.milliseconds(Double(value))
            default: break
            }
            return ["time": text("time"), "principal": text("principal"), "server": text("server"), "tool": target,
                    "outcome": text("outcome"), "duration": duration]
        }
    }
}
