// `gateway-bench startup`: cold start of a gateway binary, run R times: spawn → first 200
// on /health, spawn → first answered gateway_search_tools, spawn → first search with hits.
// With --clear-catalog-cache DIR every run starts without a persisted catalog (a true cold
// start); without it, runs after the first restart from the catalog the previous one saved.

import ArgumentParser
import Foundation
import MCPProtocol

struct StartupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup", abstract: "Cold start: spawn to /health and to the first answered search.")

    @Option(help: "The mcp-gateway binary.")
    var binary: String

    @Option(help: "Configuration file passed with --config.")
    var config: String

    @Option(help: "How many cold starts.")
    var runs = 10

    @Option(help: "Port for the spawned gateway (must be free).")
    var port = 39490

    @Option(help: "The first search's query.")
    var query = "create an issue in a github repository"

    @Option(help: "Bound on one run, in seconds.")
    var timeoutSeconds = 60

    @Option(help: "Where the spawned gateway's stderr goes (default: discarded).")
    var gatewayLog: String?

    @Option(help: "Label copied into the JSON line.")
    var label: String?

    @Option(help: "Before each run, delete the persisted catalogs (catalog-*.json) in this directory (the gateway's MCP_GATEWAY_CACHE_DIR).")
    var clearCatalogCache: String?

    func validate() throws {
        guard (1...1000).contains(runs) else { throw ValidationError("--runs must be 1-1000") }
        guard (1...3600).contains(timeoutSeconds) else { throw ValidationError("--timeout-seconds must be 1-3600") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535") }
    }

    func run() async throws {
        if HealthProbe.status(port: port, path: "/health") != nil {
            throw ValidationError("port \(port) is already in use")
        }
        var samples: [StartupSample] = []
        for _ in 0..<runs {
            if let clearCatalogCache { try Self.removeCatalogs(in: clearCatalogCache) }
            let probe = StartupProbe(binary: binary, config: config, port: port, query: query,
                                     timeout: .seconds(timeoutSeconds), gatewayLog: gatewayLog)
            samples.append(try await probe.measure())
            try await Task.sleep(for: .milliseconds(100))
        }
        let health = LatencySummary(samples: samples.map { $0.health.nanoseconds }, errors: 0, wall: .zero)
        let search = LatencySummary(samples: samples.map { $0.firstSearch.nanoseconds }, errors: 0, wall: .zero)
        let hits = LatencySummary(samples: samples.compactMap { $0.firstHit?.nanoseconds }, errors: 0, wall: .zero)
        let emptyFirst = samples.filter(\.firstSearchEmpty).count
        let fields: [(String, JSONNumberOrText)] = [
            ("runs", .int(runs)),
            ("health_median_ms", .number(health.percentileMilliseconds(50), decimals: 3)),
            ("health_p99_ms", .number(health.percentileMilliseconds(99), decimals: 3)),
            ("first_search_median_ms", .number(search.percentileMilliseconds(50), decimals: 3)),
            ("first_search_p99_ms", .number(search.percentileMilliseconds(99), decimals: 3)),
            ("first_hit_median_ms", .number(hits.percentileMilliseconds(50), decimals: 3)),
            ("first_hit_p99_ms", .number(hits.percentileMilliseconds(99), decimals: 3)),
            ("first_search_empty", .int(emptyFirst)),
            ("runs_without_hits", .int(runs - hits.count)),
        ]
        let human = "cold start over \(runs) runs: /health median \(Report.format(health.percentileMilliseconds(50), decimals: 1)) ms "
            + "p99 \(Report.format(health.percentileMilliseconds(99), decimals: 1)) ms; first search median "
            + "\(Report.format(search.percentileMilliseconds(50), decimals: 1)) ms p99 \(Report.format(search.percentileMilliseconds(99), decimals: 1)) ms "
            + "(\(emptyFirst) of \(runs) first answers empty; first hits median \(Report.format(hits.percentileMilliseconds(50), decimals: 1)) ms)"
        Report.emit(bench: "startup", label: label, fields: fields, human: human)
    }

    /// Deletes only the gateway's persisted catalog files, nothing else in the directory.
    static func removeCatalogs(in directory: String) throws {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files where file.hasPrefix("catalog-") && file.hasSuffix(".json") {
            try FileManager.default.removeItem(atPath: directory + "/" + file)
        }
    }
}

struct StartupSample {
    var health: Duration
    var firstSearch: Duration
    var firstHit: Duration?
    var firstSearchEmpty: Bool
}

struct StartupProbe {
    let binary: String
    let config: String
    let port: Int
    let query: String
    let timeout: Duration
    let gatewayLog: String?

    func measure() async throws -> StartupSample {
        let spawned = ContinuousClock.now
        let deadline = spawned + timeout
        let gateway = try GatewayProcess.spawn(binary: binary, config: config, port: port, logPath: gatewayLog)
        do {
            let sample = try await probe(spawned: spawned, deadline: deadline, gateway: gateway)
            await gateway.stop()
            return sample
        } catch {
            await gateway.stop()
            throw error
        }
    }

    private func probe(spawned: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
                       gateway: GatewayProcess) async throws -> StartupSample {
        while HealthProbe.status(port: port, path: "/health") != 200 {
            guard gateway.isRunning else { throw BenchFailure("the gateway exited during startup (see --gateway-log)") }
            guard ContinuousClock.now < deadline else { throw BenchFailure("no 200 from /health within the timeout") }
            try await Task.sleep(for: .milliseconds(1))
        }
        let health = ContinuousClock.now - spawned
        let params = JSONWriter.encode(["name": "gateway_search_tools", "arguments": ["query": .string(query)]])
        return try await BenchHTTPClient.with(connections: 1) { client in
            var session = MCPHTTPSession(client: client, url: "http://127.0.0.1:\(port)/mcp")
            try await session.open()
            let firstBody = session.request("tools/call", params: params)
            let first = try await session.post(firstBody)
            guard let result = first.successfulResult else { throw BenchFailure("first search failed: \(first.excerpt)") }
            let firstSearch = ContinuousClock.now - spawned
            let empty = ByteSearch.contains(result, ByteSearch.emptySearch)
            var firstHit: Duration? = empty ? nil : firstSearch
            while firstHit == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
                let body = session.request("tools/call", params: params)
                let again = try await session.post(body)
                if let result = again.successfulResult, !ByteSearch.contains(result, ByteSearch.emptySearch) {
                    firstHit = ContinuousClock.now - spawned
                }
            }
            return StartupSample(health: health, firstSearch: firstSearch, firstHit: firstHit, firstSearchEmpty: empty)
        }
    }
}
