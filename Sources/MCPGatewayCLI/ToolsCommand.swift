// `mcp-gateway tools approve|diff|pins`: tool pinning from the command line, beside a running
// gateway with the same config. Everything goes through the pin file the gateway keeps next
// to its catalog cache (it records pending definitions there), so no backend is started; a
// running gateway notices an approval within a second.

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayCore
import GatewayGovernance

struct ToolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "Tool pinning: review and approve changed tool definitions (security.pinning).",
        subcommands: [ToolsApproveCommand.self, ToolsDiffCommand.self, ToolsPinsCommand.self])
}

/// The options every `tools` subcommand shares: which config, hence which pin file.
struct PinFileOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Configuration file (same discovery as serve).")
    var config: String?

    @Option(help: "The pin file itself, instead of the one beside the config's catalog cache.")
    var pinFile: String?

    func store() throws -> PinFileStore {
        if let pinFile { return PinFileStore(path: pinFile) }
        let catalogPath = try ConfigLoading.catalogCachePath(explicitPath: config, what: "no pin file")
        return PinFileStore(path: PinFileStore.path(forCatalogCache: catalogPath))
    }

    /// The ledger in the file, or a clear error when there is none or it is not usable.
    func ledger(_ store: PinFileStore) throws -> PinLedger {
        switch store.load() {
        case .ledger(let ledger): return ledger
        case .absent:
            throw ValidationError("no pin file at \(store.path) yet: the gateway writes it the first time it lists a server's tools (with security.pinning warn or enforce)")
        case .unreadable(let reason):
            throw ValidationError("the pin file \(store.path) is not usable: \(reason). Repair it, or remove it to pin every server again on first sight")
        }
    }
}

extension PinLedger.Pending {
    /// `2026-12-06 21:50:29Z` for a time in seconds since 1970.
    static func date(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + "Z"
    }
}
