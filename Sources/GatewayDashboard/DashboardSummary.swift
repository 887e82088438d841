// The overview's numbers (calls, error share and p95 of the last minute) and the JSON of the
// live events, shared by the rendered page and the SSE stream so both say the same thing.

import Foundation
import GatewayTelemetry
import MCPProtocol

public enum DashboardSummary {
    /// The last minute for `viewer`: every call for an admin, the viewer's own otherwise.
    static func window(_ feed: CallFeed?, viewer: DashboardViewer) -> CallFeed.Window {
        guard let feed else { return CallFeed.Window(calls: 0, failures: 0, p95Nanoseconds: nil) }
        guard !viewer.principal.isAdmin else { return feed.window() }
        return feed.window { DashboardPages.shows($0, to: viewer) }
    }

    static func percent(_ window: CallFeed.Window) -> String {
        guard window.calls > 0 else { return "0%" }
        return "\(Int((Double(window.failures) / Double(window.calls) * 100).rounded()))%"
    }

    static func milliseconds(_ nanoseconds: Int64?) -> String {
        guard let nanoseconds else { return "–" }
        return milliseconds(Double(nanoseconds) / 1e6)
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value < 10 ? String(format: "%.1f ms", value) : "\(Int(value.rounded())) ms"
    }

    static func json(states: [String: String], tools: Int, window: CallFeed.Window) -> String {
        let up = states.values.count { $0 == "running" }
        let percent = window.calls == 0 ? 0 : Int((Double(window.failures) / Double(window.calls) * 100).rounded())
        let p95: JSONValue = window.p95Nanoseconds.map { .double((Double($0) / 1e5).rounded() / 10) } ?? .null
        let value: JSONValue = [
            "backends_up": .int(up), "backends": .int(states.count), "tools": .int(tools),
            "calls_last_minute": .int(window.calls), "error_percent": .int(percent), "p95_ms": p95,
            "states": .object(JSONObject(states.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
        ]
        return String(decoding: JSONWriter.encode(value), as: UTF8.self)
    }

    /// `event: call`'s data.
    public static func json(_ record: CallFeed.Record) -> String {
        let value: JSONValue = [
            "at": .string(Date(timeIntervalSince1970: record.at).formatted(.iso8601)), "principal": .string(record.principal),
            "server": .string(record.server), "tool": .string(record.tool),
            "duration_ms": .double((Double(record.nanoseconds) / 1e4).rounded() / 100), "outcome": .string(record.outcome),
        ]
        return String(decoding: JSONWriter.encode(value), as: UTF8.self)
    }
}

/// Times as the pages show them: UTC, to the second or the day.
enum DashboardTime {
    static func second(_ epoch: Double) -> String {
        Date(timeIntervalSince1970: epoch).formatted(.iso8601.time(includingFractionalSeconds: false).timeSeparator(.colon))
    }

    static func day(_ epoch: Double) -> String {
        Date(timeIntervalSince1970: epoch).formatted(.iso8601.year().month().day().dateSeparator(.dash))
    }
}
