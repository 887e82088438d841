// `gateway-bench search`: latency of gateway_search_tools (or a peer's search tool, --tool)
// over a query set, cycling through the queries so every client task asks varied questions.

import ArgumentParser
import Foundation
import MCPProtocol

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Latency and throughput of gateway_search_tools over a query set.")

    @OptionGroup var load: LoadOptions

    @Option(help: "File with one query per line (blank lines and lines starting with # are skipped).")
    var queryFile: String?

    @Option(parsing: .upToNextOption, help: "Queries given inline.")
    var queries: [String] = []

    @Option(help: "The search's limit argument; 0 sends none (for a peer whose search tool takes only a query).")
    var limit = 5

    @Option(help: "The search tool; it takes {query} (and limit unless --limit 0).")
    var tool = "gateway_search_tools"

    func run() async throws {
        var all = queries
        if let queryFile { all += try Self.readQueries(queryFile) }
        guard !all.isEmpty else { throw ValidationError("give --query-file or --queries") }
        let bodies = all.map { query in
            var arguments = JSONObject()
            arguments["query"] = .string(query)
            if limit > 0 { arguments["limit"] = .int(limit) }
            var object = JSONObject()
            object["name"] = .string(tool)
            object["arguments"] = .object(arguments)
            return load.era.params(object)
        }
        let settings = try load.settings(tool: tool)
        let empties = TicketCounter()
        let outcome = try await BenchHTTPClient.with(connections: load.concurrency) { client in
            try await LoadRunner.run(
                client: client, url: load.url, plan: load.plan, settings: settings,
                build: { session, sequence in session.request("tools/call", params: bodies[sequence % bodies.count]) },
                check: { exchange, _ in
                    guard let result = exchange.successfulResult else { return false }
                    if ByteSearch.contains(result, ByteSearch.emptySearch) { _ = empties.take() }
                    return true
                })
        }
        let emptyCount = empties.take()
        var fields: [(String, JSONNumberOrText)] = [
            ("tool", .text(tool)), ("era", .text(load.era.rawValue)),
            ("concurrency", .int(load.concurrency)), ("queries", .int(all.count)), ("limit", .int(limit)),
            ("empty_results", .int(emptyCount)), ("warmup", .int(load.warmup)), ("truncated", .flag(outcome.truncated)),
        ]
        fields += outcome.fields
        var human = "search c=\(load.concurrency) over \(all.count) queries (\(emptyCount) empty answers, warm-up included): \(outcome.humanLine)"
        if let firstError = outcome.firstError { human += "\n  first error: \(firstError)" }
        Report.emit(bench: "search", label: load.label, fields: fields, human: human)
    }

    static func readQueries(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
