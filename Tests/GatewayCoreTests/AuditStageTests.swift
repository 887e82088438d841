// The audit stage sees every outcome of the stages after it and of the backend: a refusal by
// a governance stage (denied with its rule, limited with its limit), a result, a tool error, a
// backend's JSON-RPC error, a timeout, a failure; each becomes one line naming the front end
// and era the call came in by. In a Gateway it runs first, before the configured policy stages.

import Foundation
import GatewayAuth
import GatewayBackends
import GatewayConfig
import GatewayCore
import GatewayGovernance
import Logging
import MCPProtocol
import Testing

/// Refuses as the scope and limit stages will: `denied` for tools named `secret_*`, `limited` for `busy`.
struct RefusingGovernanceStage: CallStage {
    func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        if call.tool?.hasPrefix("secret_") == true {
            return .refused(.hidden(rule: "auth.api_keys[alice].denied_tools: secret_*", wholeServer: false,
                                    unknownNameError: JSONRPCErrorObject(code: -32602, message: "Unknown tool")))
        }
        if call.tool == "busy" {
            return .refused(.limited("rate_limit alice 60/min", retryAfterMs: 1500, message: "rate limited"))
        }
        return await next(call)
    }
}

@Suite struct AuditStageTests {
    static let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)

    private func withTrail(_ body: (AuditTrail, String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "audit-stage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path), includeArguments: ["fs:write_*"]))
        try await body(trail, path)
        await trail.close()
    }

    private func lines(_ path: String) throws -> [JSONValue] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    private func call(_ operation: BackendCall.Operation, server: String = "fs", arguments: String = #"{"text":"MARKER-77"}"#) -> BackendCall {
        BackendCall(server: server, operation: operation, principal: Self.alice, arguments: Array(arguments.utf8),
                    origin: CallOrigin(frontEnd: .websocket, protocolVersion: "2025-06-18"))
    }

    @Test func recordsRefusalsOfLaterStagesAndEveryBackendOutcome() async throws {
        try await withTrail { trail, path in
            let answers: [String: CallOutcome] = [
                "ok": .result(RawJSON(Array(#"{"content":[{"type":"text","text":"fine"}]}"#.utf8))),
                "bad": .result(RawJSON(Array(#"{"content":[],"isError":true}"#.utf8))),
                "rpc": .backendError(JSONRPCErrorObject(code: -32602, message: "Unknown tool: rpc")),
                "slow": .failure(.timeout(seconds: 5)),
                "gone": .failure(.closed("backend exited with status 1 (token=abc)")),
            ]
            let pipeline = CallPipeline(stages: [AuditStage(trail: trail), RefusingGovernanceStage()]) { call in
                answers[call.tool ?? ""] ?? .result(RawJSON(Array("{}".utf8)))
            }
            for tool in ["ok", "bad", "rpc", "slow", "gone", "secret_keys", "busy", "write_file"] {
                _ = await pipeline.run(call(.tool(tool)))
            }
            _ = await pipeline.run(call(.resourceRead(uri: "file:///etc/hosts"), arguments: #"{"uri":"file:///etc/hosts"}"#))
            _ = await pipeline.run(call(.prompt("greet"), arguments: #"{"name":"greet","arguments":{"who":"MARKER-77"}}"#))
            _ = await pipeline.run(call(.relayed(method: "completion/complete"), arguments: "{}"))
            await trail.flush()
            let got = try lines(path)
            #expect(got.map { $0["outcome"]?.stringValue } == ["ok", "tool_error", "protocol_error", "timeout", "failure", "denied",
                                                               "limited", "ok", "ok", "ok", "ok"])
            #expect(got[2]["error_code"]?.intValue == -32602)
            #expect(got[4]["failure"]?.stringValue == "closed")
            #expect(got[5]["rule"]?.stringValue == "auth.api_keys[alice].denied_tools: secret_*")
            #expect(got[5]["response_bytes"]?.intValue == 0)
            #expect(got[6]["rule"]?.stringValue == "rate_limit alice 60/min")
            #expect(got[7]["arguments"]?["text"]?.stringValue == "MARKER-77")
            #expect(got[8]["uri"]?.stringValue == "file:///etc/hosts" && got[8]["method"]?.stringValue == "resources/read")
            #expect(got[9]["prompt"]?.stringValue == "greet" && got[9]["method"]?.stringValue == "prompts/get")
            #expect(got[10]["method"]?.stringValue == "completion/complete" && got[10]["tool"] == nil)
            for line in got {
                #expect(line["front_end"]?.stringValue == "websocket")
                #expect(line["era"]?.stringValue == "2025-06-18")
                #expect(line["principal"]?.stringValue == "alice")
            }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // Only the included tool's line holds the value; a failure's detail (here a token) never appears.
            #expect(text.components(separatedBy: "MARKER-77").count == 2)
            #expect(!text.contains("token=abc"))
        }
    }

    @Test func theGatewayRunsTheStageBeforeItsPolicyStages() async throws {
        let directory = NSTemporaryDirectory() + "audit-gateway-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let yaml = """
            backends:
              fs: {command: "/nonexistent/never-started", description: never started}
            capabilities: {enabled: false}
            audit: {path: \(directory)/audit.jsonl}
            """
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = try #require(ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:]).config)
        let gateway = Gateway(config: config, logger: Logger(label: "test"), policy: GatewayPolicy(callStages: [RefusingGovernanceStage()]))
        let trail = try #require(gateway.audit)
        let message = try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"secret_x"}}"#.utf8))
        let reply = await gateway.dispatcher.relay(message, method: "tools/call", params: Array(#"{"name":"secret_x","arguments":{}}"#.utf8)[...],
                                                   to: "fs", hooks: RequestHooks(), principal: Self.alice,
                                                   origin: CallOrigin(frontEnd: .direct, protocolVersion: "2025-11-25"))
        #expect(try JSONParser.parse(reply)["error"]?["code"]?.intValue == -32602)
        await gateway.shutdown()
        let got = try lines(directory + "/audit.jsonl")
        #expect(got.count == 1)
        #expect(got.first?["outcome"]?.stringValue == "denied")
        #expect(got.first?["front_end"]?.stringValue == "direct")
        #expect(trail.state.written == 1)
    }

    @Test func aReloadTurnsTheTrailOnMovesItAndTurnsItOff() async throws {
        let directory = NSTemporaryDirectory() + "audit-reload-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let yaml = """
            backends:
              fs: {command: "/nonexistent/never-started", description: never started}
            capabilities: {enabled: false}
            """
        let config = try #require(ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:]).config)
        let gateway = Gateway(config: config, logger: Logger(label: "test"), policy: GatewayPolicy(callStages: [RefusingGovernanceStage()]))
        func refusedCall() async throws {
            let message = try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"secret_x"}}"#.utf8))
            _ = await gateway.dispatcher.relay(message, method: "tools/call", params: Array(#"{"name":"secret_x","arguments":{}}"#.utf8)[...],
                                               to: "fs", hooks: RequestHooks(), principal: Self.alice,
                                               origin: CallOrigin(frontEnd: .direct, protocolVersion: "2025-11-25"))
        }
        try await refusedCall()
        #expect(gateway.audit == nil)
        var reloaded = config
        reloaded.audit = AuditSettings(destination: .file(directory + "/first.jsonl"))
        #expect(gateway.applyReloaded(reloaded) == [])
        let first = try #require(gateway.audit)
        try await refusedCall()
        await first.flush()
        #expect(try lines(directory + "/first.jsonl").count == 1)
        // A new path: the next call goes to the new file, the old one has only its own line.
        reloaded.audit = AuditSettings(destination: .file(directory + "/second.jsonl"))
        gateway.applyReloaded(reloaded)
        let second = try #require(gateway.audit)
        #expect(second !== first)
        try await refusedCall()
        await second.flush()
        #expect(try lines(directory + "/second.jsonl").count == 1)
        #expect(try lines(directory + "/first.jsonl").count == 1)
        reloaded.audit = nil
        gateway.applyReloaded(reloaded)
        #expect(gateway.audit == nil)
        try await refusedCall()
        await gateway.shutdown()
        #expect(try lines(directory + "/second.jsonl").count == 1)
        // Shutdown closed the replaced trails too, within their grace.
        #expect(first.state.written == 1 && second.state.written == 1)
    }

    @Test func noAuditSectionNoTrail() async throws {
        let config = try #require(ConfigLoader.parse(yaml: "capabilities: {enabled: false}\n", file: "t.yaml", environment: [:]).config)
        #expect(config.audit == nil)
        let gateway = Gateway(config: config, logger: Logger(label: "test"))
        #expect(gateway.audit == nil)
        await gateway.shutdown()
    }
}
