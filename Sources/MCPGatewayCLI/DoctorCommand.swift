// `mcp-gateway doctor`: checks the configuration, starts every enabled backend once (all at once,
// each within its timeout), and prints one row per backend: transport, protocol era, tools, start
// time, and the problem with its fix. Exit 0 when every backend answered, 1 when any did not,
// 2 when the configuration does not load. Nothing is served and nothing is saved.

import ArgumentParser
import AsyncHTTPClient
import Foundation
import GatewayBackends
import GatewayConfig
import GatewayCore
import GatewayServer
import Logging
import MCPProtocol

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration and start every backend once: a table of what works and what to fix.")

    @Option(name: [.short, .long], help: "Configuration file (same discovery as serve).")
    var config: String?

    struct Row {
        var name: String
        var transport = ""
        var era = "—"
        var tools = "—"
        var startMilliseconds: Int?
        var problem: String?
        var fix: String?
        var stderr: [String] = []
    }

    func run() async throws {
        LogSetup.bootstrap(level: .critical, format: .text)
        let loaded = ConfigLoading.load(explicitPath: config)
        for warning in loaded.warnings { print(warning) }
        guard let gatewayConfig = loaded.config, loaded.errors.isEmpty else {
            for error in loaded.errors { print(error) }
            print("the configuration does not load: fix the errors above (mcp-gateway config validate)")
            throw ExitCode(2)
        }
        print("\(loaded.source.path ?? "built-in default"): configuration OK")
        let enabled = gatewayConfig.backends.filter(\.enabled)
        let disabled = gatewayConfig.backends.filter { !$0.enabled }.map(\.name)
        let rows = await Self.check(enabled, logger: Logger(label: "mcp-gateway"))
        print(Self.table(rows))
        if !disabled.isEmpty { print("disabled, not started: \(disabled.joined(separator: ", "))") }
        for row in rows where row.problem != nil {
            print("\n\(row.name): \(row.problem ?? "")")
            for line in row.stderr.suffix(5) { print("  stderr: \(line)") }
            if let fix = row.fix { print("  fix: \(fix)") }
        }
        let failed = rows.filter { $0.problem != nil }.count
        print(failed == 0 ? "\nall \(rows.count) backends answered" : "\n\(failed) of \(rows.count) backends need attention")
        if failed > 0 { throw ExitCode(1) }
    }

    static func check(_ settings: [BackendSettings], logger: Logger) async -> [Row] {
        await withTaskGroup(of: (Int, Row).self) { group in
            for (index, backendSettings) in settings.enumerated() {
                group.addTask {
                    let backend = Backend(settings: backendSettings, httpClient: HTTPClient.shared, cacheTTL: .seconds(60),
                                          logger: logger, onToolsChanged: { _ in })
                    var row = Row(name: backendSettings.name)
                    let started = ContinuousClock.now
                    do {
                        let tools = try await backend.listTools(forceRefresh: true)
                        row.tools = "\(tools.count)"
                        let elapsed = ContinuousClock.now - started
                        row.startMilliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                    } catch {
                        row.problem = "\(error)"
                    }
                    let status = await backend.status()
                    row.transport = status.transport
                    if let version = status.protocolVersion { row.era = version }
                    row.stderr = status.stderrTail
                    if let problem = row.problem {
                        row.fix = DoctorHints.hint(error: problem, transport: backend.transportName, stderr: status.stderrTail)
                    }
                    await backend.stop()
                    return (index, row)
                }
            }
            var rows: [(Int, Row)] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func table(_ rows: [Row]) -> String {
        let header = ["backend", "transport", "protocol", "tools", "start", "status"]
        let cells = rows.map { row in
            [row.name, row.transport, row.era, row.tools, row.startMilliseconds.map { "\($0) ms" } ?? "—",
             row.problem == nil ? "ok" : "FAILED"]
        }
        var widths = header.map(\.count)
        for line in cells {
            for (column, cell) in line.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func render(_ line: [String]) -> String {
            var text = line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([render(header)] + cells.map(render)).joined(separator: "\n")
    }
}
