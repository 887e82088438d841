// `search-tune`: ranks a query set against a tools file in process, through the same catalog
// snapshot the gateway searches (starter pack included unless --no-starter-pack), and prints
// Recall@1/5/10 and MRR for each ranking setting asked for. The quick loop for tuning;
// ../shared/bench/run_search_bench.py over HTTP gives the figures BENCHMARKS.md reports.
//
//   search-tune --tools search-dev-tools-large.json --queries search-dev.jsonl \
//       --mode hybrid --sweep semanticWeight=0.2,0.3,0.4

import ArgumentParser
import Foundation
import GatewayCapabilities
import GatewayConfig
import GatewayCore
import Logging
import MCPProtocol
import ToolSearch

@main
struct SearchTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search-tune", abstract: "Search quality of ranking settings, in process.")

    @Option(help: "Tools file: [{server, description, tools: [MCP tool objects]}] (the bench format).")
    var tools: String

    @Option(help: "Query file (JSONL, the bench format); repeatable.")
    var queries: [String]

    @Option(help: "lexical or hybrid.")
    var mode = "hybrid"

    @Flag(help: "Leave the capability starter pack out of the catalog.")
    var noStarterPack = false

    @Flag(help: "Scan the tool vectors with the portable kernel even where the CPU has AVX2 and FMA.")
    var portableKernel = false

    @Option(help: "A ranking parameter for every run: name=value (repeatable).")
    var set: [String] = []

    @Option(help: "One run per value: name=v1,v2,... (repeatable: the product of all).")
    var sweep: [String] = []

    @Option(help: "Write each query's top 10 and rank of the expected tool to this JSON file (first run only).")
    var misses: String?

    func run() throws {
        guard let searchMode = SearchMode(rawValue: mode) else { throw ValidationError("--mode is lexical or hybrid") }
        let catalog = try TuneCatalog.load(toolsPath: tools, starterPack: !noStarterPack)
        let querySet = try queries.flatMap { try TuneQuery.load(path: $0) }
        var base = RankingParameters.standard
        for assignment in set { try TuneParameters.apply(assignment, to: &base) }
        let embedder: StaticEmbedder?
        if searchMode == .hybrid {
            switch StaticEmbedder.shared {
            case .success(let loaded): embedder = loaded
            case .failure(let error): throw ValidationError("search model: \(error)")
            }
        } else {
            embedder = nil
        }
        SearchIndex.usePortableCosineKernel(portableKernel)
        print("catalog: \(catalog.entries.count) tools (\(catalog.entries.filter(\.isBuiltIn).count) built in), \(querySet.count) queries, mode \(mode), cosine kernel \(SearchIndex.cosineKernel)")
        for (index, variant) in try TuneParameters.variants(base: base, sweeps: sweep).enumerated() {
            let started = ContinuousClock.now
            let snapshot = CatalogSnapshot(entries: catalog.entries, servers: catalog.servers, generation: 1,
                                           embedder: embedder, parameters: variant.parameters)
            let built = ContinuousClock.now - started
            let score = TuneScore.evaluate(querySet, snapshot: snapshot)
            print(String(format: "%@  R@1 %.3f  R@5 %.3f  R@10 %.3f  MRR %.3f  all@5 %.3f  (search p50 %.3f p99 %.3f ms, index %.0f ms)",
                         variant.label.isEmpty ? "standard" : variant.label, score.recallAt1, score.recallAt5,
                         score.recallAt10, score.mrr, score.allNeedsAt5, score.latency(0.5), score.latency(0.99), Double(built.components.attoseconds) / 1e15 + Double(built.components.seconds) * 1000))
            if index == 0, let misses { try score.writeMisses(to: misses) }
        }
    }
}
