// `include: ["stats"]` on gateway_list_tools and gateway_search_tools: each tool's record over
// the last 30 days from the tool profiles, so an agent can prefer a tool that works. Read only
// when asked (a listing without it costs nothing more), and a gateway without profiles says so
// instead of showing empty statistics.

import Foundation
import GatewayProfiles
import MCPProtocol

public struct ToolStatsIncluded {
    public static let days = 30
    static let unavailableNote = "tool statistics are off on this gateway (telemetry.profiles, and a cache directory)"

    /// Whether the meta-tool's arguments ask for statistics.
    static func isRequested(_ arguments: JSONValue) -> Bool {
        arguments["include"]?.arrayValue?.contains { $0.stringValue == "stats" } ?? false
    }

    /// Each tool's totals over the window, of one server or all; nil when profiles are off or
    /// cannot be read.
    static func totals(_ profiles: ToolProfiles?, server: String? = nil) async -> [ToolProfiles.ToolKey: ToolDayCounts]? {
        await profiles?.totals(server: server, days: days)
    }

    /// The `stats` member of one tool: calls, error rate, failures by kind, latency
    /// percentiles and the last use; `{"days":30,"calls":0}` for a tool not called.
    public static func json(_ counts: ToolDayCounts?, days: Int = days) -> JSONValue {
        var stats = JSONObject([("days", .int(days))])
        guard let counts, counts.calls > 0 else {
            stats["calls"] = .int(0)
            return .object(stats)
        }
        stats["calls"] = .int(Int(counts.calls))
        stats["error_rate"] = .double((Double(counts.failures) / Double(counts.calls) * 1000).rounded() / 1000)
        var failures = JSONObject()
        for (name, count) in [("tool_error", counts.toolErrors), ("error", counts.errors), ("timeout", counts.timeouts),
                              ("cancelled", counts.cancelled), ("unavailable", counts.unavailable)] where count > 0 {
            failures[name] = .int(Int(count))
        }
        if failures.count > 0 { stats["failures"] = .object(failures) }
        for (name, quantile) in [("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)] {
            if let value = counts.latency.percentile(quantile) { stats[name] = .double((value * 10).rounded() / 10) }
        }
        // A value format style, not a formatter object made per tool of a listing.
        stats["last_used"] = .string(Date(timeIntervalSince1970: TimeInterval(counts.lastUsed)).formatted(.iso8601))
        return .object(stats)
    }
}
