// Recall@k (share of needed tools found in the top k, averaged over queries) and MRR, the
// "pair" variant of ../shared/bench (server and tool must match; alternatives count), and for
// multi-need sets the share of queries with every need in the top 5.

import Foundation
import GatewayCore
import ToolSearch

struct TuneScore {
    var recallAt1 = 0.0
    var recallAt5 = 0.0
    var recallAt10 = 0.0
    var mrr = 0.0
    var allNeedsAt5 = 0.0
    /// Per query, the time the search took (embedding the query included).
    var latencies: [Duration] = []
    var rows: [[String: Any]] = []

    static func evaluate(_ queries: [TuneQuery], snapshot: CatalogSnapshot) -> TuneScore {
        var score = TuneScore()
        for query in queries {
            let started = ContinuousClock.now
            let hits = snapshot.search(query.text, limit: 10)
            score.latencies.append(ContinuousClock.now - started)
            let ranked = hits.map { "\($0.entry.server)/\($0.entry.tool.name)" }
            func recall(_ k: Int) -> Double {
                let top = Set(ranked.prefix(k))
                return Double(query.groups.filter { !top.isDisjoint(with: $0) }.count) / Double(max(1, query.groups.count))
            }
            score.recallAt1 += recall(1)
            score.recallAt5 += recall(5)
            if recall(5) == 1 { score.allNeedsAt5 += 1 }
            score.recallAt10 += recall(10)
            let wanted = Set(query.groups.flatMap { $0 })
            let first = ranked.firstIndex { wanted.contains($0) }
            if let first { score.mrr += 1 / Double(first + 1) }
            score.rows.append(["id": query.id, "query": query.text, "expected": query.groups.map { $0[0] },
                               "rank": first.map { $0 + 1 } ?? 0, "top": ranked,
                               "needs": NeedSplitter.needs(in: query.text), "recall5": recall(5)])
        }
        let count = Double(max(1, queries.count))
        score.recallAt1 /= count
        score.recallAt5 /= count
        score.recallAt10 /= count
        score.mrr /= count
        score.allNeedsAt5 /= count
        return score
    }

    /// The `fraction` quantile of the search latencies, in milliseconds.
    func latency(_ fraction: Double) -> Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        return Double(value.components.seconds) * 1000 + Double(value.components.attoseconds) / 1e15
    }

    func writeMisses(to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
