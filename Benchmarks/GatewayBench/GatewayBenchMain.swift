// gateway-bench: load generator and probes for the gateway benchmarks (see
// Benchmarks/README.md). Each subcommand prints one JSON line and one human line.

import ArgumentParser
import Foundation

@main
struct GatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-bench",
        abstract: "Benchmarks for mcp-gateway: latency, throughput, cold start, context size.",
        subcommands: [InvokeCommand.self, SearchCommand.self, StartupCommand.self, ContextCommand.self, ReportCommand.self])
}

/// Options shared by the load subcommands.
struct LoadOptions: ParsableArguments {
    @Option(help: "MCP endpoint, e.g. http://127.0.0.1:39511/mcp.")
    var url: String

    @Option(help: "Client tasks, each with its own session and connection.")
    var concurrency = 1

    @Option(help: "Measured requests (shared by all client tasks).")
    var requests = 1000

    @Option(help: "Warm-up requests before measuring (not recorded).")
    var warmup = 0

    @Option(help: "Upper bound on the measured phase, in seconds.")
    var maxSeconds = 300

    @Option(help: "Label copied into the JSON line.")
    var label: String?

    @Option(help: "Pace the measured requests at this many per second in all (each on a fixed schedule, as clients that pause between calls would send them) instead of sending each as soon as the last answer is in.")
    var rate: Double?

    @Option(help: "Protocol era: legacy (initialize, sessions), 2026-07-28 (stateless, _meta envelope, Mcp-Method/Mcp-Name headers), or legacy+envelope (legacy carrying the same _meta envelope).")
    var era: ProtocolEra = .legacy

    @Option(name: .customLong("header"), help: "Extra request header 'Name: value' (repeatable), e.g. a peer's bearer token.")
    var headers: [String] = []

    @Option(help: "Process under test: the CPU time of it and its descendants during the measured phase is reported per call (bench-backend processes among them count as the backend's).")
    var cpuPid: Int32?

    @Option(help: "The backend's own process (a separate tree): its CPU time during the measured phase is reported per call as the backend's.")
    var backendPid: Int32?

    func validate() throws {
        guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be 1-1024") }
        guard (1...10_000_000).contains(requests) else { throw ValidationError("--requests must be 1-10000000") }
        guard (0...10_000_000).contains(warmup) else { throw ValidationError("--warmup must be 0-10000000") }
        guard (1...86_400).contains(maxSeconds) else { throw ValidationError("--max-seconds must be 1-86400") }
        if let rate, !(rate >= 1 && rate <= 1_000_000) { throw ValidationError("--rate must be 1-1000000 requests per second") }
        _ = try parsedHeaders()
    }

    func parsedHeaders() throws -> [(name: String, value: String)] {
        try headers.map { header in
            guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
                throw ValidationError("--header wants 'Name: value', got '\(header)'")
            }
            return (String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                    String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }

    /// Session settings for a load whose every request is `tools/call` of `tool`.
    func settings(tool: String) throws -> SessionSettings {
        SessionSettings(era: era, headers: try parsedHeaders(), method: "tools/call", name: tool)
    }

    var plan: LoadPlan {
        LoadPlan(concurrency: concurrency, requests: requests, warmup: warmup, maxDuration: .seconds(maxSeconds), rate: rate,
                 cpu: cpuPid.map { ProcessTreeCPU(roots: [$0]) }, backendCPU: backendPid.map { ProcessTreeCPU(roots: [$0]) })
    }
}

extension ProtocolEra: ExpressibleByArgument {}
