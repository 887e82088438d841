// Tool shaping between the pipeline and a scripted backend: the Backend's own lists come out
// shaped (and are persisted unshaped), a call by the exposed name reaches the backend under its
// own name with rewritten arguments, names no shaped list shows are refused as unknown, long
// results are cut, and a relayed `tools/list` is shaped like the catalog.

import GatewayAuth
import GatewayBackends
import GatewayConfig
@testable import GatewayCore
import GatewayGovernance
import Logging
import MCPProtocol
import Testing

@Suite struct ToolShapingStageTests {
    static let tools = #"[{"name":"read_file","description":"Reads","inputSchema":{"type":"object","properties":{"path":{"type":"string"},"root":{"type":"string"}},"required":["path","root"]}},{"name":"delete_file","description":"Deletes","inputSchema":{"type":"object"}},{"name":"report","description":"Report","inputSchema":{"type":"object"},"outputSchema":{"type":"object"}}]"#

    static let shaping = ToolShapingSettings(
        deny: ["delete_*"], rename: ["read_file": "read"],
        arguments: [ArgumentRule(tool: "read_file", fixed: JSONObject([("root", "/srv")]))], maxResultBytes: 300)

    static func scripted(shaping: ToolShapingSettings = shaping, idempotent: [String] = [],
                         toolTimeouts: [ToolTimeout] = []) -> ScriptedBackend {
        var settings = ScriptedBackend.settings(toolTimeouts: toolTimeouts, idempotentTools: idempotent)
        settings.shaping = shaping
        return ScriptedBackend(settings) { _ in
            ScriptedTransport.server(tools: tools) { method, params in
                if method == "tools/list" { return .result(#"{"tools":\#(tools)}"#) }
                if params.contains("\"report\"") {
                    return .result(#"{"content":[{"type":"text","text":"\#(String(repeating: "r", count: 1000))"}],"structuredContent":{"n":1}}"#)
                }
                return .result(#"{"content":[{"type":"text","text":"ok"}]}"#)
            }
        }
    }

    static func pipeline(_ scripted: ScriptedBackend) -> CallPipeline {
        let pool = BackendPool(backends: [scripted.backend], cacheTTL: .seconds(3600))
        let terminal = BackendCallStage(pool: pool, backends: [scripted.backend.settings])
        return CallPipeline(stages: [ToolShapingStage(pool: pool)], terminal: { await terminal.call($0) })
    }

    static func call(_ tool: String, _ arguments: String = "{}") -> BackendCall {
        BackendCall(server: "b", tool: tool, principal: RetryingCallTests.principal, arguments: Array(arguments.utf8))
    }

    @Test func theBackendsListsComeOutShapedAndArePersistedAsSent() async throws {
        let scripted = Self.scripted()
        let listed = try await scripted.backend.listTools()
        #expect(listed.map(\.name) == ["read", "report"])
        let schema = try listed[0].inputSchema.parsed()
        #expect(schema["properties"]?.objectValue?.keys == ["path"])
        #expect(await scripted.backend.cachedTools()?.map(\.name) == ["read", "report"])
        #expect(await scripted.backend.persistableTools()?.tools.map(\.name) == ["read_file", "delete_file", "report"])
        #expect(await scripted.backend.status().toolCount == 2)
        await scripted.backend.stop()
    }

    /// Callers that join a fetch in flight get the shaped list too, not the backend's answer.
    @Test func callersSharingOneFetchAllGetTheShapedList() async throws {
        let scripted = Self.scripted()
        async let first = scripted.backend.listTools()
        async let second = scripted.backend.listTools()
        async let forced = scripted.backend.listTools(forceRefresh: true)
        let lists = try await [first, second, forced]
        #expect(lists.map { $0.map(\.name) } == Array(repeating: ["read", "report"], count: 3))
        await scripted.backend.stop()
    }

    @Test func aSeededListIsShapedToo() async {
        let scripted = Self.scripted()
        let raw = try? ToolDefinition.parsePage(Array(#"{"tools":\#(Self.tools)}"#.utf8)).tools
        await scripted.backend.seedTools(raw ?? [], listedAt: .now)
        #expect(await scripted.backend.cachedTools()?.map(\.name) == ["read", "report"])
        #expect(scripted.starts == 0)
        await scripted.backend.stop()
    }

    @Test func aCallByTheExposedNameReachesTheBackendUnderItsOwnWithFixedArguments() async throws {
        let scripted = Self.scripted()
        let outcome = await Self.pipeline(scripted).run(Self.call("read", #"{"path":"a.txt","root":"/etc"}"#))
        guard case .result = outcome else {
            Issue.record("expected a result, got \(outcome)")
            return
        }
        let sent = try #require(scripted.transports.first?.sent.first { $0.method == "tools/call" })
        let params = try JSONRPCMessage.decode(Array(sent.text.utf8)).paramsValue()
        #expect(params["name"] == .string("read_file"))
        #expect(params["arguments"] == .object(JSONObject([("path", "a.txt"), ("root", "/srv")])))
        await scripted.backend.stop()
    }

    @Test func deniedAndRenamedAwayNamesAreUnknownTools() async {
        let scripted = Self.scripted()
        let pipeline = Self.pipeline(scripted)
        for name in ["delete_file", "read_file"] {
            guard case .refused(let refusal) = await pipeline.run(Self.call(name)) else {
                Issue.record("\(name) was not refused")
                continue
            }
            #expect(refusal.isHidden)
            #expect(refusal.error.message == "Unknown tool: \(name)")
        }
        #expect(scripted.sent("tools/call") == 0)
        await scripted.backend.stop()
    }

    @Test func aLongResultIsCutAndATruncatedStructuredResultIsAnError() async throws {
        let scripted = Self.scripted()
        _ = try await scripted.backend.listTools()
        guard case .result(let result) = await Self.pipeline(scripted).run(Self.call("report")) else {
            Issue.record("expected a result")
            return
        }
        #expect(result.bytes.count <= 300)
        let parsed = try result.parsed()
        #expect(parsed["isError"] == .bool(true))
        #expect(parsed["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("max_result_bytes (300)") == true)
        await scripted.backend.stop()
    }

    @Test func aRelayedToolsListIsShaped() async throws {
        let scripted = Self.scripted()
        let call = BackendCall(server: "b", operation: .relayed(method: "tools/list"), principal: RetryingCallTests.principal,
                               arguments: Array("{}".utf8))
        guard case .result(let result) = await Self.pipeline(scripted).run(call) else {
            Issue.record("expected a result")
            return
        }
        let names = try result.parsed()["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["read", "report"])
        await scripted.backend.stop()
    }

    @Test func perToolBackendSettingsUseTheBackendsOwnName() async {
        // `idempotent_tools: [read_file]` covers the tool clients call `read`: a crash is retried.
        var settings = ScriptedBackend.settings(idempotentTools: ["read_file"])
        settings.shaping = ToolShapingSettings(rename: ["read_file": "read"])
        let scripted = ScriptedBackend(settings, factory: RetryingCallTests.crashesOnce(tools: Self.tools))
        let pool = BackendPool(backends: [scripted.backend], cacheTTL: .seconds(3600))
        let terminal = BackendCallStage(pool: pool, retry: RetryingCallTests.quickRetries, backends: [settings])
        let pipeline = CallPipeline(stages: [ToolShapingStage(pool: pool)], terminal: { await terminal.call($0) })
        #expect(RetryingCallTests.isResult(await pipeline.run(Self.call("read"))))
        #expect(scripted.sent("tools/call") == 2)
        await scripted.backend.stop()
    }

    /// The stage costs the other backends' calls a lookup: it is in the chain only while some
    /// backend shapes its tools, and a reload adds or removes it.
    @Test func theStageIsInTheChainOnlyWhileSomeBackendShapes() async throws {
        func config(_ extra: String) throws -> GatewayConfig {
            try #require(ConfigLoader.parse(yaml: """
                backends:
                  a: {command: never-started\(extra)}
                capabilities: {enabled: false}
                """, file: "t.yaml", environment: [:]).config)
        }
        let gateway = Gateway(config: try config(""), logger: Logger(label: "test"))
        let hasStage = { gateway.dispatcher.pipeline.stages.contains { $0 is ToolShapingStage } }
        #expect(!hasStage())
        gateway.applyReloaded(try config(", rename: {x: y}"))
        #expect(hasStage())
        // The backend was replaced by one with the new rules (its next list comes out renamed).
        #expect(gateway.pool.backend(named: "a")?.shaper?.originalName(ofExposed: "y") == "x")
        gateway.applyReloaded(try config(""))
        #expect(!hasStage())
        await gateway.shutdown()
    }
}
