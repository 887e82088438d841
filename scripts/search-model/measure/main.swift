// Measures the static embedder in an optimised build: RSS added by loading the table, time to embed
// 10,000 tool descriptions, per-query embedding p50/p99, brute-force cosine over 10,000 tools, and
// (with --queries) R@1/R@5 of embeddings alone, to cross-check scripts/search-model/probe.py;
// --dump-ids FILE writes the token ids of every text for probe.py --compare-ids.
//
//   scripts/search-model/measure.sh   (builds this with swiftc -O together with Sources/ToolSearch)

import Foundation

func residentKB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    return -1
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
guard let modelDirectory = option("--model"), let toolsPath = option("--tools") else {
    print("usage: measure --model DIR --tools TOOLS.json [--queries QUERIES.jsonl]")
    exit(2)
}

// Tools: "name words: description", like probe.py.
func toolText(_ tool: [String: Any]) -> String {
    let name = tool["name"] as? String ?? ""
    var words = ""
    var previous: Character = " "
    for character in name {
        if "_-./:".contains(character) {
            if words.last != " " { words.append(" ") }
        } else {
            if character.isUppercase, previous.isLowercase || previous.isNumber { words.append(" ") }
            words.append(character)
        }
        previous = character
    }
    return words.trimmingCharacters(in: .whitespaces) + ": " + (tool["description"] as? String ?? "")
}
let catalog = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: toolsPath)))) as? [[String: Any]] ?? []
var pairs: [String] = []
var texts: [String] = []
var searchDocuments: [SearchDocument] = []
for server in catalog {
    for tool in server["tools"] as? [[String: Any]] ?? [] {
        pairs.append("\(server["server"] as? String ?? "")/\(tool["name"] as? String ?? "")")
        texts.append(toolText(tool))
        let properties = (tool["inputSchema"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
        searchDocuments.append(SearchDocument(
            server: server["server"] as? String ?? "", serverDescription: server["description"] as? String ?? "",
            name: tool["name"] as? String ?? "", description: tool["description"] as? String ?? "",
            parameters: properties.keys.sorted().map { key in
                SearchParameter(name: key, description: (properties[key] as? [String: Any])?["description"] as? String ?? "")
            }))
    }
}

let rssBefore = residentKB()
let loadStart = now()
let embedder: StaticEmbedder
do { embedder = try StaticEmbedder(directory: modelDirectory) } catch { print("load failed: \(error)"); exit(1) }
let loadMs = Double(now() - loadStart) / 1e6
let rssAfter = residentKB()
print(String(format: "load: %.1f ms, RSS %d -> %d kB (+%.1f MB), dimension %d", loadMs, rssBefore, rssAfter,
             Double(rssAfter - rssBefore) / 1024, embedder.dimension))

// 10,000 tool descriptions: the catalog's, cycled.
let dimension = embedder.dimension
let documentCount = 10_000
var documents = [Float](repeating: 0, count: documentCount * dimension)
var scratch = [Float](repeating: 0, count: dimension)
var tokenCount = 0
let indexStart = now()
for index in 0..<documentCount {
    let text = texts[index % texts.count]
    embedder.embed(text, into: &scratch)
    documents.withUnsafeMutableBufferPointer { all in
        for d in 0..<dimension { all[index * dimension + d] = scratch[d] }
    }
}
let indexSeconds = Double(now() - indexStart) / 1e9
for index in 0..<texts.count { tokenCount += embedder.tokenIDs(for: texts[index]).count }
print(String(format: "embed %d tool descriptions: %.2f s (%.0f µs each; %.1f tokens per tool on average); RSS now %d kB",
             documentCount, indexSeconds, indexSeconds * 1e6 / Double(documentCount),
             Double(tokenCount) / Double(texts.count), residentKB()))

// Queries: per-query embedding time, and brute-force cosine over the 10,000 vectors.
var queries: [[String: Any]] = []
if let queriesPath = option("--queries"), let content = try? String(contentsOfFile: queriesPath, encoding: .utf8) {
    for line in content.split(separator: "\n") {
        if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { queries.append(object) }
    }
}
let queryTexts = queries.isEmpty ? Array(texts.prefix(600)) : queries.compactMap { $0["query"] as? String }
var embedTimes: [UInt64] = []
var scanTimes: [UInt64] = []
var scores = [Float](repeating: 0, count: documentCount)
for round in 0..<5 {
    for text in queryTexts {
        let start = now()
        embedder.embed(text, into: &scratch)
        let embedded = now()
        // Dot products 16 lanes at a time (a scalar float loop is not vectorised: strict FP order).
        documents.withUnsafeBytes { all in
            scratch.withUnsafeBytes { query in
                let lanes = dimension / 16
                let q = query.bindMemory(to: SIMD16<Float>.self)
                let rows = all.bindMemory(to: SIMD16<Float>.self)
                for document in 0..<documentCount {
                    var sum = SIMD16<Float>()
                    let base = document * lanes
                    for lane in 0..<lanes { sum += rows[base + lane] * q[lane] }
                    scores[document] = sum.sum()
                }
            }
        }
        let scanned = now()
        if round > 0 {  // the first round warms caches
            embedTimes.append(embedded - start)
            scanTimes.append(scanned - embedded)
        }
    }
}
embedTimes.sort()
scanTimes.sort()
print(String(format: "query embedding (%d queries x 4): p50 %.1f µs, p99 %.1f µs, max %.1f µs", queryTexts.count,
             percentile(embedTimes, 0.5), percentile(embedTimes, 0.99), percentile(embedTimes, 1.0)))
print(String(format: "brute-force cosine over %d x %d float32: p50 %.0f µs, p99 %.0f µs", documentCount, dimension,
             percentile(scanTimes, 0.5), percentile(scanTimes, 0.99)))

// With --dump-ids FILE: the token ids of every tool text and query, one JSON array a line, for
// probe.py --compare-ids (the Swift tokenizer against the reference on real text).
if let dumpPath = option("--dump-ids") {
    var lines = ""
    for text in texts + queries.compactMap({ $0["query"] as? String }) {
        lines += "[" + embedder.tokenIDs(for: text).map(String.init).joined(separator: ",") + "]\n"
    }
    do { try lines.write(toFile: dumpPath, atomically: true, encoding: .utf8) } catch { print("cannot write \(dumpPath): \(error)") }
}

// Quality of embeddings alone on the real catalog (no cycling), pair variant.
if !queries.isEmpty {
    let toolVectors = texts.map { embedder.embedding(of: $0) }
    // The gateway's BM25F index on the same tools, to see where the two signals disagree.
    let bm25 = SearchIndex(documents: searchDocuments)
    var r1 = 0.0, r5 = 0.0, bm25R1 = 0.0, bm25R5 = 0.0
    var onlyEmbeddingsR1 = 0, onlyBM25R1 = 0, onlyEmbeddingsR5 = 0, onlyBM25R5 = 0
    for query in queries {
        var accepted: Set<String> = []
        for expected in query["expected"] as? [[String: Any]] ?? [] {
            accepted.insert("\(expected["server"] as? String ?? "")/\(expected["tool"] as? String ?? "")")
            for alternative in expected["alternatives"] as? [[String: Any]] ?? [] {
                accepted.insert("\(alternative["server"] as? String ?? "")/\(alternative["tool"] as? String ?? "")")
            }
        }
        let vector = embedder.embedding(of: query["query"] as? String ?? "")
        let ranked = toolVectors.indices.map { index in
            (score: zip(vector, toolVectors[index]).reduce(Float(0)) { $0 + $1.0 * $1.1 }, pair: pairs[index])
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.pair < $1.pair }
        let rank = ranked.prefix(10).firstIndex(where: { accepted.contains($0.pair) }) ?? 99
        if rank == 0 { r1 += 1 }
        if rank < 5 { r5 += 1 }
        let hits = bm25.search(query["query"] as? String ?? "", limit: 10)
        let bm25Rank = hits.firstIndex(where: { accepted.contains(pairs[$0.document]) }) ?? 99
        if bm25Rank == 0 { bm25R1 += 1 }
        if bm25Rank < 5 { bm25R5 += 1 }
        if rank == 0, bm25Rank != 0 { onlyEmbeddingsR1 += 1 }
        if bm25Rank == 0, rank != 0 { onlyBM25R1 += 1 }
        if rank < 5, bm25Rank >= 5 { onlyEmbeddingsR5 += 1 }
        if bm25Rank < 5, rank >= 5 { onlyBM25R5 += 1 }
    }
    let n = Double(queries.count)
    print(String(format: "embeddings alone on %d tools, %d queries: R@1 %.4f, R@5 %.4f", texts.count, queries.count, r1 / n, r5 / n))
    print(String(format: "BM25F (SearchIndex, no starter pack): R@1 %.4f, R@5 %.4f", bm25R1 / n, bm25R5 / n))
    print("top-1 right only by embeddings: \(onlyEmbeddingsR1), only by BM25F: \(onlyBM25R1); " +
          "in the top 5 only by embeddings: \(onlyEmbeddingsR5), only by BM25F: \(onlyBM25R5)")
}
