// `gateway-bench invoke`: tools/call echo straight at a backend or a peer (direct), through
// the gateway's gateway_invoke (gateway), or through a peer's generic call tool such as
// fastmcp's `call_tool {name, arguments}` (call-tool), under closed-loop or paced load, in either era.

import ArgumentParser
import MCPProtocol

enum InvokeMode: String, ExpressibleByArgument, Sendable {
    case direct, gateway
    case callTool = "call-tool"
}

struct InvokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke", abstract: "Latency and throughput of tools/call echo, direct or through gateway_invoke.")

    @OptionGroup var load: LoadOptions

    @Option(help: "direct: tools/call TOOL on the endpoint; gateway: gateway_invoke {server, tool, arguments} on the gateway; call-tool: CALL_TOOL {name: TOOL, arguments} (a peer's generic call tool).")
    var mode: InvokeMode

    @Option(help: "Backend name in the gateway's configuration (gateway mode).")
    var server = "bench"

    @Option(help: "Tool to call; it must echo its `text` argument.")
    var tool = "echo"

    @Option(help: "The generic call tool of call-tool mode.")
    var callTool = "call_tool"

    @Option(help: "The text sent and expected back.")
    var text = "hello from gateway-bench"

    func run() async throws {
        let params = Self.params(mode: mode, server: server, tool: tool, callTool: callTool, text: text, era: load.era)
        let expected = JSONWriter.quoted(text)
        let settings = try load.settings(tool: Self.calledTool(mode: mode, tool: tool, callTool: callTool))
        let outcome = try await BenchHTTPClient.with(connections: load.concurrency) { client in
            try await LoadRunner.run(
                client: client, url: load.url, plan: load.plan, settings: settings,
                build: { session, _ in session.request("tools/call", params: params) },
                check: { exchange, _ in
                    exchange.successfulResult.map { ByteSearch.contains($0, expected) } ?? false
                })
        }
        var fields: [(String, JSONNumberOrText)] = [
            ("mode", .text(mode.rawValue)), ("era", .text(load.era.rawValue)), ("tool", .text(tool)),
            ("concurrency", .int(load.concurrency)), ("warmup", .int(load.warmup)), ("truncated", .flag(outcome.truncated)),
        ]
        if let rate = load.rate { fields.append(("rate", .number(rate, decimals: 1))) }
        fields += outcome.fields
        let paced = load.rate.map { " paced at \(Report.format($0, decimals: 0)) req/s" } ?? ""
        var human = "invoke \(mode.rawValue) (\(load.era.rawValue)) c=\(load.concurrency)\(paced): \(outcome.humanLine)"
        if let firstError = outcome.firstError { human += "\n  first error: \(firstError)" }
        Report.emit(bench: "invoke", label: load.label, fields: fields, human: human)
    }

    /// The tool named in params.name (and, in 2026-07-28, in the Mcp-Name header).
    static func calledTool(mode: InvokeMode, tool: String, callTool: String) -> String {
        switch mode {
        case .direct: return tool
        case .gateway: return "gateway_invoke"
        case .callTool: return callTool
        }
    }

    /// The tools/call params, encoded once and reused for every request.
    static func params(mode: InvokeMode, server: String, tool: String, callTool: String, text: String,
                       era: ProtocolEra) -> [UInt8] {
        let arguments: JSONValue = ["text": .string(text)]
        var object = JSONObject()
        object["name"] = .string(calledTool(mode: mode, tool: tool, callTool: callTool))
        switch mode {
        case .direct:
            object["arguments"] = arguments
        case .gateway:
            object["arguments"] = ["server": .string(server), "tool": .string(tool), "arguments": arguments]
        case .callTool:
            object["arguments"] = ["name": .string(tool), "arguments": arguments]
        }
        return era.params(object)
    }
}
