// `mcp-gateway search QUERY`: ranks tools against the persisted catalog without starting the
// server; backends never listed before are started once to list them (and then saved).

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayCore
import GatewayServer
import Logging
import MCPProtocol

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search the tool catalog from the command line.")

    @Argument(help: "What you want to do, in plain words.")
    var query: [String]

    @Option(name: [.short, .long], help: "Configuration file (same discovery as serve).")
    var config: String?

    @Option(name: [.short, .long], help: "How many results (1-100).")
    var limit: Int = 10

    @Flag(help: "Print the result as JSON (the structuredContent of gateway_search_tools).")
    var json = false

    @Flag(help: "List every backend again instead of trusting the persisted catalog.")
    var refresh = false

    func validate() throws {
        guard (1...100).contains(limit) else { throw ValidationError("--limit must be 1-100") }
        guard !query.joined().isEmpty else { throw ValidationError("give a query") }
    }

    func run() async throws {
        LogSetup.bootstrap(level: .warning, format: .text)
        let logger = Logger(label: "mcp-gateway")
        let loaded = ConfigLoading.load(explicitPath: config)
        guard let gatewayConfig = loaded.config, loaded.errors.isEmpty else {
            for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            throw ExitCode(2)
        }
        let gateway = Gateway(config: gatewayConfig, logger: logger,
                              catalogCachePath: CatalogStore.defaultPath(configPath: gatewayConfig.sourcePath,
                                                                         environment: ProcessInfo.processInfo.environment))
        await gateway.start()
        await gateway.pool.discover(deadline: .seconds(60), refreshKnown: refresh)
        await gateway.catalog.rebuild()
        await gateway.saveCatalog()
        let snapshot = gateway.catalog.snapshot
        let hits = snapshot.search(query.joined(separator: " "), limit: limit)
        if json {
            let matches: [JSONValue] = hits.map { hit in
                var match = JSONObject()
                match["server"] = .string(hit.entry.server)
                match["tool"] = .string(hit.entry.tool.name)
                match["description"] = .string(hit.entry.summary)
                match["score"] = .double((hit.score * 1000).rounded() / 1000)
                if let need = hit.need { match["need"] = .string(need) }
                return .object(match)
            }
            print(JSONWriter.encodeString(["matches": .array(matches), "total": .int(matches.count)]))
        } else if hits.isEmpty {
            print("no match among \(snapshot.entries.count) tools")
        } else {
            for (rank, hit) in hits.enumerated() {
                let need = hit.need.map { "  [for: \($0)]" } ?? ""
                print("\(rank + 1). \(hit.entry.server)/\(hit.entry.tool.name)  (\(String(format: "%.2f", hit.score)))  \(hit.entry.summary)\(need)")
            }
        }
        await gateway.shutdown()
    }
}
