// `mcp-gateway tools diff SERVER`: what changed in each of a server's pending tools, as the
// approved definition against the current one, line by line.

import ArgumentParser
import GatewayCore
import GatewayGovernance

struct ToolsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show how a server's current tool definitions differ from the approved ones.")

    @Argument(help: "The server.")
    var server: String

    @OptionGroup var options: PinFileOptions

    func run() throws {
        let ledger = try options.ledger(try options.store())
        guard let entry = ledger.servers[server] else {
            throw ValidationError("no pins for server '\(server)': the gateway pins a server's tools the first time it lists them")
        }
        print(Self.render(server: server, entry: entry).joined(separator: "\n"))
    }

    static func render(server: String, entry: PinLedger.Server) -> [String] {
        guard !entry.pending.isEmpty else {
            return ["\(server): no changes; \(entry.pins.count) tool(s) pinned"]
        }
        var lines: [String] = []
        for (tool, pending) in entry.pending.sorted(by: { $0.key < $1.key }) {
            lines.append("=== \(server):\(tool): \(pending.change) (seen \(PinLedger.Pending.date(pending.seenAt)))")
            let old: PinLedger.Pin?
            switch pending.kind {
            case .renamed(let from): old = entry.pins[from]
            default: old = entry.pins[tool]
            }
            lines.append(contentsOf: DefinitionDiff.lines(old: old?.definition, new: pending.current?.definition))
        }
        lines.append("approve with: mcp-gateway tools approve \(server)  (or \(server):TOOL for one tool)")
        return lines
    }
}
