// `mcp-gateway tools pins [SERVER]`: the pinned tools per server, each with its digest, when
// it was approved, and what is pending.

import ArgumentParser
import GatewayCore
import GatewayGovernance

struct ToolsPinsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pins",
        abstract: "List the pinned tools (of every server, or of one) and what waits for approval.")

    @Argument(help: "Only this server.")
    var server: String?

    @OptionGroup var options: PinFileOptions

    func run() throws {
        let ledger = try options.ledger(try options.store())
        if let server, ledger.servers[server] == nil {
            throw ValidationError("no pins for server '\(server)'")
        }
        print(Self.render(ledger, only: server).joined(separator: "\n"))
    }

    static func render(_ ledger: PinLedger, only: String?) -> [String] {
        var lines: [String] = []
        for (name, entry) in ledger.servers.sorted(by: { $0.key < $1.key }) where only == nil || only == name {
            lines.append("\(name): \(entry.pins.count) pinned, \(entry.pending.count) pending")
            let tools = Set(entry.pins.keys).union(entry.pending.keys).sorted()
            for tool in tools {
                let pin = entry.pins[tool]
                var line = "  \(tool)"
                if let pin { line += "  sha256:\(pin.digest.prefix(16))  approved \(PinLedger.Pending.date(pin.pinnedAt))" }
                if let pending = entry.pending[tool] { line += "  PENDING: \(pending.change)" }
                lines.append(line)
            }
        }
        if lines.isEmpty { lines.append("no pins yet") }
        return lines
    }
}
