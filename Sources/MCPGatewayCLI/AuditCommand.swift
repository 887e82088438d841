// `mcp-gateway audit tail` and `audit query`: read the audit trail the config's `audit.path`
// names (same config discovery as serve), rotated files included, as a table or as the JSON
// lines themselves (--json).

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayGovernance
import MCPProtocol

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit trail (audit.path in the configuration).",
        subcommands: [AuditTailCommand.self, AuditQueryCommand.self])
}

/// The trail's file, from the configuration.
enum AuditTrailLocation {
    static func path(config explicitPath: String?) throws -> String {
        let loaded = ConfigLoading.load(explicitPath: explicitPath)
        guard let config = loaded.config, loaded.errors.isEmpty else {
            for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            throw ExitCode(2)
        }
        let source = config.sourcePath ?? "the built-in default configuration"
        guard let audit = config.audit else {
            throw ValidationError("\(source) has no 'audit:' section, so there is no audit trail to read")
        }
        guard case .file(let path) = audit.destination else {
            throw ValidationError("\(source) sends the audit trail to \(audit.destination.description); there is no file to read")
        }
        return path
    }
}

/// Prints lines as a table or as they are.
struct AuditPrinter {
    let json: Bool
    private var rows: [[String]] = []

    init(json: Bool) { self.json = json }

    mutating func add(_ line: [UInt8], record: JSONObject) {
        if json {
            FileHandle.standardOutput.write(Data(line + [UInt8(ascii: "\n")]))
        } else {
            rows.append(AuditTable.row(record))
        }
    }

    /// The table so far (nothing with --json, whose lines are already out).
    mutating func finish() {
        guard !json, !rows.isEmpty else { return }
        print(AuditTable.render(rows))
        rows = []
    }
}

struct AuditTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Show the last lines of the audit trail, and with --follow the lines to come.")

    @Option(name: [.short, .long], help: "Configuration file (same discovery as serve).")
    var config: String?

    @Option(name: .short, help: "How many lines.")
    var n: Int = 10

    @Flag(name: [.short, .long], help: "Keep printing lines as they are written (across rotations) until interrupted.")
    var follow = false

    @Flag(help: "Print the JSON lines instead of a table.")
    var json = false

    func validate() throws {
        guard n >= 0 else { throw ValidationError("-n must be 0 or more") }
    }

    func run() throws {
        let path = try AuditTrailLocation.path(config: config)
        var last: [([UInt8], JSONObject)] = []
        let everything = AuditRecordFilter()
        for file in AuditFiles.paths(of: path) {
            AuditFiles.forEachLine(in: file) { line in
                guard n > 0, let record = everything.matching(line) else { return }
                last.append((line, record))
                if last.count > n * 2 { last.removeFirst(last.count - n) }
            }
        }
        var printer = AuditPrinter(json: json)
        for (line, record) in last.suffix(n) { printer.add(line, record: record) }
        printer.finish()
        guard follow else { return }
        var identity = AuditFiles.identity(of: path)
        var offset = identity?.size ?? 0
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            guard let now = AuditFiles.identity(of: path) else { continue }
            if let before = identity, now.inode != before.inode || now.size < offset {
                // Rotated: what was written to the old file after we last looked is in path.1.
                if now.inode != before.inode {
                    AuditFiles.forEachLine(in: "\(path).1", from: offset) { line in
                        if let record = everything.matching(line) { printer.add(line, record: record) }
                    }
                }
                offset = 0
            }
            identity = now
            if now.size > offset {
                offset = AuditFiles.forEachLine(in: path, from: offset) { line in
                    if let record = everything.matching(line) { printer.add(line, record: record) }
                } ?? offset
            }
            printer.finish()
        }
    }
}

struct AuditQueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Select lines of the audit trail (rotated files included), oldest first.")

    @Option(name: [.short, .long], help: "Configuration file (same discovery as serve).")
    var config: String?

    @Option(help: "Only this principal's operations.")
    var principal: String?

    @Option(help: "Only tool calls matching this glob: 'server:tool', or a bare tool name pattern on any server.")
    var tool: String?

    @Option(help: "Only operations on this server.")
    var server: String?

    @Option(help: "Only this outcome: \(AuditLine.outcomes.joined(separator: ", ")).")
    var outcome: String?

    @Option(help: "Only operations since this time: an age (90s, 15m, 1h, 2d) or an RFC 3339 time.")
    var since: String?

    @Flag(help: "Print the JSON lines instead of a table.")
    var json = false

    func validate() throws {
        if let outcome, !AuditLine.outcomes.contains(outcome) {
            throw ValidationError("--outcome must be one of: \(AuditLine.outcomes.joined(separator: ", "))")
        }
        if let since, AuditRecordFilter.parseSince(since, now: AuditTimestamp.nowMilliseconds()) == nil {
            throw ValidationError("--since must be an age like 90s, 15m, 1h, 2d or an RFC 3339 time like 2026-12-06T21:00:00Z")
        }
    }

    func run() throws {
        let path = try AuditTrailLocation.path(config: config)
        let filter = AuditRecordFilter(principal: principal, tool: tool, server: server, outcome: outcome,
                                       since: since.flatMap { AuditRecordFilter.parseSince($0, now: AuditTimestamp.nowMilliseconds()) })
        var printer = AuditPrinter(json: json)
        var unreadable = 0
        for file in AuditFiles.paths(of: path) {
            let read = AuditFiles.forEachLine(in: file) { line in
                guard !line.isEmpty else { return }
                if let record = filter.matching(line) {
                    printer.add(line, record: record)
                } else if (try? JSONParser.parse(line))?.objectValue == nil {
                    unreadable += 1
                }
            }
            if read == nil { FileHandle.standardError.write(Data("warning: cannot read \(file)\n".utf8)) }
        }
        printer.finish()
        if unreadable > 0 { FileHandle.standardError.write(Data("warning: \(unreadable) line(s) are not audit records\n".utf8)) }
    }
}
