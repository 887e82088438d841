// `mcp-gateway tools approve SERVER[:TOOL]`: accepts what is pending for a server (or one of
// its tools) into the pins, under the pin file's lock. A running gateway releases the tools
// within a second.

import ArgumentParser
import Foundation
import GatewayCore
import GatewayGovernance

struct ToolsApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Accept the current definitions of a server's changed, new or renamed tools (and drop removed ones).")

    @Argument(help: "SERVER to approve everything pending for it, or SERVER:TOOL for one tool.")
    var target: String

    @OptionGroup var options: PinFileOptions

    func run() throws {
        let (server, tool) = Self.split(target)
        guard !server.isEmpty, tool.map({ !$0.isEmpty }) ?? true else {
            throw ValidationError("expected SERVER or SERVER:TOOL, found '\(target)'")
        }
        let store = try options.store()
        _ = try options.ledger(store)
        let now = Int(Date().timeIntervalSince1970)
        let (lines, _) = try store.update { loaded -> (write: PinLedger?, result: [String]) in
            guard case .ledger(var ledger) = loaded else { return (nil, []) }
            let lines = try ledger.approve(server: server, tool: tool, now: now)
            return (lines.isEmpty ? nil : ledger, lines)
        }
        if lines.isEmpty {
            print("nothing pending for '\(server)': its tools are as approved")
        } else {
            for line in lines { print("approved \(line)") }
        }
    }

    /// `server:tool` splits at the first colon (server names have none).
    static func split(_ target: String) -> (server: String, tool: String?) {
        guard let colon = target.firstIndex(of: ":") else { return (target, nil) }
        return (String(target[..<colon]), String(target[target.index(after: colon)...]))
    }
}
