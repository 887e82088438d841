// `gateway-bench invoke`: tools/call echo straight at a backend (direct) or through the
// gateway's gateway_invoke (gateway), under closed-loop load.

import ArgumentParser
import MCPProtocol

enum InvokeMode: String, ExpressibleByArgument, Sendable {
    case direct, gateway
}

struct InvokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke", abstract: "Latency and throughput of tools/call echo, direct or through gateway_invoke.")

    @OptionGroup var load: LoadOptions

    @Option(help: "direct: tools/call echo on the backend's /mcp; gateway: gateway_invoke on the gateway's /mcp.")
    var mode: InvokeMode

    @Option(help: "Backend name in the gateway's configuration (gateway mode).")
    var server = "bench"

    @Option(help: "Tool to call; it must echo its `text` argument.")
    var tool = "echo"

    @Option(help: "The text sent and expected back.")
    var text = "hello from gateway-bench"

    func run() async throws {
        let params = Self.params(mode: mode, server: server, tool: tool, text: text)
        let expected = JSONWriter.quoted(text)
        let outcome = try await BenchHTTPClient.with(connections: load.concurrency) { client in
            try await LoadRunner.run(
                client: client, url: load.url, plan: load.plan,
                build: { session, _ in session.request("tools/call", params: params) },
                check: { exchange, _ in
                    exchange.successfulResult.map { ByteSearch.contains($0, expected) } ?? false
                })
        }
        var fields: [(String, JSONNumberOrText)] = [
            ("mode", .text(mode.rawValue)), ("concurrency", .int(load.concurrency)),
            ("warmup", .int(load.warmup)), ("truncated", .flag(outcome.truncated)),
        ]
        fields += outcome.summary.fields
        var human = "invoke \(mode.rawValue) c=\(load.concurrency): \(outcome.summary.humanLine)"
        if let firstError = outcome.firstError { human += "\n  first error: \(firstError)" }
        Report.emit(bench: "invoke", label: load.label, fields: fields, human: human)
    }

    /// The tools/call params, encoded once and reused for every request.
    static func params(mode: InvokeMode, server: String, tool: String, text: String) -> [UInt8] {
        let arguments: JSONValue = ["text": .string(text)]
        switch mode {
        case .direct:
            return JSONWriter.encode(["name": .string(tool), "arguments": arguments])
        case .gateway:
            return JSONWriter.encode([
                "name": "gateway_invoke",
                "arguments": ["server": .string(server), "tool": .string(tool), "arguments": arguments],
            ])
        }
    }
}
