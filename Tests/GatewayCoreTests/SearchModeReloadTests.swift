// meta_mcp.search end to end inside the gateway: the catalog's index ranks as configured, the
// starter pack's tools are marked built in, and a reload that changes the mode rebuilds the index
// (no tool changed, so no list_changed is due) while a reload that keeps it does not.

import Foundation
import GatewayConfig
@testable import GatewayCore
import Logging
import Testing
import ToolSearch

@Suite struct SearchModeReloadTests {
    static func config(_ mode: String) throws -> GatewayConfig {
        let yaml = "meta_mcp:\n  search: \(mode)\ncapabilities: {enabled: true}\n"
        return try #require(ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:]).config)
    }

    @Test func aReloadSwitchesTheRankingWithoutAnyToolChanging() async throws {
        let hybrid = try Self.config("hybrid")
        let gateway = Gateway(config: hybrid, logger: Logger(label: "test"))
        await gateway.start()
        await gateway.catalog.ensureDiscovered()
        await gateway.catalog.rebuild()
        let first = gateway.catalog.snapshot
        #expect(first.index.mode == .hybrid)
        #expect(!first.entries.isEmpty && first.entries.allSatisfy(\.isBuiltIn))
        // A query that shares no word with the starter pack's weather tools finds one by meaning.
        let rain = first.search("will it rain in Oslo tomorrow", limit: 3).map(\.entry.tool.name)
        #expect(rain.contains { $0.contains("weather") || $0.contains("forecast") }, "\(rain)")

        _ = gateway.applyReloaded(try Self.config("lexical"))
        try await Self.waitFor { gateway.catalog.snapshot.index.mode == .lexical }
        let second = gateway.catalog.snapshot
        #expect(second.generation > first.generation)
        #expect(second.entries.count == first.entries.count)

        _ = gateway.applyReloaded(try Self.config("lexical"))
        await gateway.catalog.rebuild()
        #expect(gateway.catalog.snapshot.generation == second.generation)

        _ = gateway.applyReloaded(hybrid)
        try await Self.waitFor { gateway.catalog.snapshot.index.mode == .hybrid }
        await gateway.shutdown()
    }

    static func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }
}
