// What `audit query` selects: lines by principal, tool (a `server:tool` glob, or a bare tool
// glob on any server), server, outcome and start time. A line is read as the writer wrote it;
// one that is not a JSON object is not matched (and counted by the reader).

import MCPProtocol

public struct AuditRecordFilter: Sendable {
    public var principal: String?
    public var tool: String?
    public var server: String?
    public var outcome: String?
    /// Milliseconds since 1970: lines that started earlier are left out.
    public var since: Int64?

    private var toolRules: AuditArgumentRules? { tool.map { AuditArgumentRules(patterns: [$0]) } }

    public init(principal: String? = nil, tool: String? = nil, server: String? = nil, outcome: String? = nil, since: Int64? = nil) {
        self.principal = principal
        self.tool = tool
        self.server = server
        self.outcome = outcome
        self.since = since
    }

    /// The line's fields, if it matches.
    public func matching(_ line: some Collection<UInt8>) -> JSONObject? {
        guard let object = (try? JSONParser.parse(Array(line)))?.objectValue else { return nil }
        return matches(object) ? object : nil
    }

    public func matches(_ record: JSONObject) -> Bool {
        if let principal, record["principal"]?.stringValue != principal { return false }
        if let server, record["server"]?.stringValue != server { return false }
        if let outcome, record["outcome"]?.stringValue != outcome { return false }
        if let rules = toolRules {
            guard let tool = record["tool"]?.stringValue,
                  rules.includes(server: record["server"]?.stringValue ?? "", tool: tool) else { return false }
        }
        if let since {
            guard let time = record["time"]?.stringValue.flatMap(AuditTimestamp.parse), time >= since else { return false }
        }
        return true
    }

    /// `--since`: an RFC 3339 time, or an age like `90s`, `15m`, `1h`, `2d` before `now`.
    public static func parseSince(_ text: String, now: Int64) -> Int64? {
        if let time = AuditTimestamp.parse(text) { return time }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
        return overflow ? nil : now - product
    }
}
