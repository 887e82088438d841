// `gateway-bench context`: how much a client's context pays for the gateway (initialize
// result + tools/list), for one search and one invoke round, and for a flat fleet listing.

import ArgumentParser
import AsyncHTTPClient
import MCPProtocol

struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context", abstract: "Bytes and estimated tokens (bytes/4) of the gateway's surface vs a flat listing.")

    @Option(help: "The gateway's MCP endpoint.")
    var url: String

    @Option(help: "Backend name for the invoke round.")
    var server = "bench"

    @Option(help: "Tool for the invoke round (called with {text}).")
    var tool = "echo"

    @Option(help: "Query for the search round.")
    var query = "create an issue in a github repository"

    @Option(help: "The fleet's tools.json ({tools: [...]}); omitted: no flat comparison.")
    var fleetTools: String?

    @Option(help: "Label copied into the JSON line.")
    var label: String?

    func run() async throws {
        let measured = try await BenchHTTPClient.with(connections: 1) { client in try await measureGateway(client) }
        var fields: [(String, JSONNumberOrText)] = [
            ("initialize_result_bytes", .int(measured.initialize)),
            ("tools_list_result_bytes", .int(measured.toolsList)),
            ("surface_bytes", .int(measured.surface)),
            ("surface_tokens", .int(measured.surface / 4)),
            ("search_round_bytes", .int(measured.searchRound)),
            ("search_round_tokens", .int(measured.searchRound / 4)),
            ("invoke_round_bytes", .int(measured.invokeRound)),
            ("invoke_round_tokens", .int(measured.invokeRound / 4)),
        ]
        var human = "gateway surface \(measured.surface) bytes (~\(measured.surface / 4) tokens: initialize "
            + "\(measured.initialize) + tools/list \(measured.toolsList)); search round \(measured.searchRound) bytes; "
            + "invoke round \(measured.invokeRound) bytes"
        if let fleetTools {
            let fleet = try FleetCatalog.load(path: fleetTools)
            let ratio = Double(fleet.flatBytes) / Double(max(measured.surface, 1))
            fields += [
                ("fleet_tools", .int(fleet.toolCount)),
                ("fleet_servers", .int(fleet.serverCount)),
                ("fleet_flat_bytes", .int(fleet.flatBytes)),
                ("fleet_flat_tokens", .int(fleet.flatBytes / 4)),
                ("fleet_wire_bytes", .int(fleet.wireBytes)),
                ("fleet_wire_tokens", .int(fleet.wireBytes / 4)),
                ("fleet_over_surface", .number(ratio, decimals: 1)),
            ]
            human += "; flat fleet tools/list \(fleet.flatBytes) bytes (~\(fleet.flatBytes / 4) tokens, "
                + "\(fleet.toolCount) tools; \(fleet.wireBytes) with every wire field): "
                + "\(Report.format(ratio, decimals: 1))x the gateway's surface"
        }
        Report.emit(bench: "context", label: label, fields: fields, human: human)
    }

    struct Measured: Sendable {
        var initialize = 0
        var toolsList = 0
        var searchRound = 0
        var invokeRound = 0
        var surface: Int { initialize + toolsList }
    }

    /// Sizes are of the JSON-RPC `result` (what a client hands the model), plus for the
    /// rounds the `params` the model writes.
    private func measureGateway(_ client: HTTPClient) async throws -> Measured {
        var session = MCPHTTPSession(client: client, url: url)
        var measured = Measured()
        measured.initialize = try Self.resultSize(try await session.open())
        let listBody = session.request("tools/list", params: Array("{}".utf8))
        measured.toolsList = try Self.resultSize(try await session.post(listBody))
        let searchParams = JSONWriter.encode(["name": "gateway_search_tools", "arguments": ["query": .string(query)]])
        let searchBody = session.request("tools/call", params: searchParams)
        measured.searchRound = searchParams.count + (try Self.resultSize(try await session.post(searchBody)))
        let invokeParams = InvokeCommand.params(mode: .gateway, server: server, tool: tool, callTool: "",
                                                text: "hello from gateway-bench", era: .legacy)
        let invokeBody = session.request("tools/call", params: invokeParams)
        measured.invokeRound = invokeParams.count + (try Self.resultSize(try await session.post(invokeBody)))
        return measured
    }

    static func resultSize(_ exchange: RPCExchange) throws -> Int {
        guard let result = exchange.successfulResult else { throw BenchFailure("request failed: \(exchange.excerpt)") }
        return result.count
    }
}
