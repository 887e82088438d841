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

@Suite struct SearchVectorPersistenceTests {
    @Test func aRestartedGatewayReadsTheSavedVectorsInsteadOfEmbeddingAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vectors-\(UInt64.random(in: 1...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cachePath = directory + "/catalog-test.json"
        let config = try SearchModeReloadTests.config("hybrid")
        let first = Gateway(config: config, logger: Logger(label: "test"), catalogCachePath: cachePath)
        await first.start()
        await first.catalog.rebuild()
        let vectorsPath = directory + "/search-vectors-test.bin"
        let saved = try #require(FileManager.default.contents(atPath: vectorsPath))
        let tools = first.catalog.snapshot.entries.count
        #expect(tools > 0)
        let embedder = try StaticEmbedder.shared.get()
        #expect(saved.count == 24 + tools * (12 + embedder.dimension))
        await first.shutdown()

        let modified = try #require(try FileManager.default.attributesOfItem(atPath: vectorsPath)[.modificationDate] as? Date)
        let second = Gateway(config: config, logger: Logger(label: "test"), catalogCachePath: cachePath)
        await second.start()
        await second.catalog.rebuild()
        #expect(second.catalog.snapshot.index.mode == .hybrid)
        // Nothing new was embedded, so the file was not written again.
        let after = try #require(try FileManager.default.attributesOfItem(atPath: vectorsPath)[.modificationDate] as? Date)
        #expect(after == modified)
        await second.shutdown()
    }
}
