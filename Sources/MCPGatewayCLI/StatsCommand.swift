// `mcp-gateway stats`: the tool profiles as a table, read from the SQLite file the gateway
// keeps next to its catalog cache (opened read-only, so it can run beside a live gateway; what
// that gateway recorded in the last two seconds is not flushed yet).

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayCore
import GatewayGovernance
import GatewayProfiles
import Logging
import MCPProtocol

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per-tool statistics from the tool profiles (telemetry.profiles): calls, failures, latency, last use.")

    @Option(name: [.short, .long], help: "Configuration file (same discovery as serve).")
    var config: String?

    @Option(help: "Only this server's tools.")
    var server: String?

    @Option(help: "The window, counted back from today: 7d, 30d, 90d (whole days).")
    var since: String = "30d"

    @Option(help: "The profiles file itself, instead of the one beside the config's catalog cache.")
    var file: String?

    @Flag(help: "JSON lines instead of a table.")
    var json = false

    func run() async throws {
        guard let window = HumanDuration.parse(since), window >= .seconds(86_400) else {
            throw ValidationError("--since takes whole days, like 7d or 30d (got '\(since)')")
        }
        let days = Int(window.components.seconds / 86_400)
        let path = try file ?? Self.defaultPath(config: config)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no tool profiles at \(path) yet: the gateway writes them once it has relayed a tool call (telemetry.profiles)")
        }
        let profiles = ToolProfiles(store: try SQLiteProfileStore(path: path, readOnly: true), logger: Logger(label: "mcp-gateway.stats"))
        guard let totals = await profiles.totals(server: server, days: days) else {
            throw ValidationError("the tool profiles at \(path) cannot be read")
        }
        let rows = totals.sorted { ($0.value.calls, $1.key.server, $1.key.tool) > ($1.value.calls, $0.key.server, $0.key.tool) }
        if json {
            for (key, counts) in rows {
                var line = ToolStatsIncluded.json(counts, days: days)
                if case .object(var object) = line {
                    object["server"] = .string(key.server)
                    object["tool"] = .string(key.tool)
                    line = .object(object)
                }
                print(String(decoding: JSONWriter.encode(line), as: UTF8.self))
            }
            return
        }
        print(StatsTable.render(rows.map { ($0.key.server, $0.key.tool, $0.value) }, days: days))
    }

    static func defaultPath(config: String?) throws -> String {
        Gateway.profilesPath(forCatalogCache: try ConfigLoading.catalogCachePath(explicitPath: config, what: "no tool profile file"))
    }
}

/// The table `mcp-gateway stats` prints.
enum StatsTable {
    static func render(_ rows: [(server: String, tool: String, counts: ToolDayCounts)], days: Int) -> String {
        let header = ["server", "tool", "calls", "failed", "p50 ms", "p95 ms", "p99 ms", "last used"]
        var lines: [[String]] = [header]
        for row in rows {
            let c = row.counts
            let failed = c.calls == 0 ? "-" : String(format: "%.1f%%", Double(c.failures) / Double(c.calls) * 100)
            let ms = { (q: Double) in c.latency.percentile(q).map { String(format: "%.1f", $0) } ?? "-" }
            lines.append([row.server, row.tool, String(c.calls), failed, ms(0.5), ms(0.95), ms(0.99),
                          PinLedger.Pending.date(Int(c.lastUsed))])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        let body = lines.map { line in
            line.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let footer = rows.isEmpty ? "no tool calls in the last \(days) days" : "\(rows.count) tools, last \(days) days"
        return (body + [footer]).joined(separator: "\n")
    }
}
