// Whatever a policy stage decides applies on every way into the core: the request chain sees
// every method of the session eras, of 2026-07-28 and of `/mcp/{backend}`, and the call
// pipeline sees every backend-bound operation (meta-tool invoke, surfaced tool, resource
// read and subscription, prompt, relayed method) with the caller's principal. The backend
// is the package's own bench-backend over stdio (it lists an `echo` tool, so the surfaced
// tool exists); a refusing stage answers before any call reaches it.

import Foundation
import GatewayAuth
import GatewayConfig
import GatewayCore
import Logging
import MCPProtocol
import Synchronization
import Testing

final class RefuseMallory: RequestStage {
    let seen = Mutex<[String]>([])
    func check(_ request: IncomingRequest) async -> JSONRPCErrorObject? {
        seen.withLock { $0.append(request.method + (request.directServer.map { "@" + $0 } ?? "")) }
        return request.principal.name == "mallory" ? JSONRPCErrorObject(code: -32_099, message: "refused by policy") : nil
    }
}

final class RefuseEveryCall: CallStage {
    let seen = Mutex<[(String, BackendCall.Operation, String)]>([])
    func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        seen.withLock { $0.append((call.server, call.operation, call.principal.name)) }
        return .backendError(JSONRPCErrorObject(code: -32_098, message: "call refused by policy"))
    }
}

struct PolicyChainTests {
    let requests = RefuseMallory()
    let calls = RefuseEveryCall()
    let gateway: Gateway

    init() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let backend = root.appendingPathComponent(".build/debug/bench-backend").path
        let yaml = """
            backends:
              alpha: {command: "\(backend) --stdio", description: the package's bench backend}
            meta_mcp:
              surfaced_tools: [{server: alpha, tool: echo}]
            capabilities: {enabled: false}
            """
        let config = try #require(ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:]).config)
        gateway = Gateway(config: config, logger: Logger(label: "test"), policy: GatewayPolicy(requestStages: [requests], callStages: [calls]))
        await gateway.start()
    }

    private func channel(_ name: String) -> DetachedClientChannel {
        DetachedClientChannel(context: ClientContext(principal: Principal(name: name, method: .apiKey, isAdmin: false), sessionID: "s-\(name)"))
    }

    private func request(_ method: String, _ params: String = "{}") throws -> JSONRPCMessage {
        try JSONRPCMessage.decode(Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(method)\",\"params\":\(params)}".utf8))
    }

    private func errorCode(_ reply: [UInt8]?) throws -> Int? {
        try JSONParser.parse(#require(reply))["error"]?["code"]?.intValue
    }

    static let methods = ["initialize", "ping", "tools/list", "tools/call", "prompts/list", "prompts/get", "resources/list",
                          "resources/templates/list", "resources/read", "resources/subscribe", "logging/setLevel", "no/such"]

    @Test func theRequestChainSeesEveryMethodOnEveryEntry() async throws {
        for method in Self.methods {
            #expect(try errorCode(await gateway.dispatcher.handle(request(method), channel: channel("mallory"))) == -32_099, "\(method)")
        }
        let modern = try JSONRPCMessage.decode(Array("""
            {"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}
            """.utf8))
        let envelope = try #require(try? ModernEra.envelope(of: modern, params: modern.paramsMembers).get())
        let modernChannel = ModernClientChannel(envelope: envelope, principal: Principal(name: "mallory", method: .oauth, isAdmin: true),
                                                sink: { _ in })
        #expect(try errorCode(await gateway.dispatcher.handleModern(modern, channel: modernChannel)) == -32_099)
        let relayed = try await gateway.dispatcher.relay(request("tools/call", #"{"name":"echo"}"#), method: "tools/call", params: nil,
                                                         to: "alpha", hooks: .init(), principal: channel("mallory").context.principal)
        #expect(try errorCode(relayed) == -32_099)
        #expect(await gateway.dispatcher.check(IncomingRequest(method: "subscriptions/listen", principal: channel("mallory").context.principal)) != nil)
        #expect(requests.seen.withLock { $0 }.contains("tools/call@alpha"))
        #expect(calls.seen.withLock { $0 }.isEmpty, "a refused request reached the pipeline")
    }

    @Test func thePipelineSeesEveryBackendBoundOperationWithItsPrincipal() async throws {
        let alice = channel("alice")
        let invoke = try request("tools/call", #"{"name":"gateway_invoke","arguments":{"server":"alpha","tool":"echo","arguments":{}}}"#)
        _ = await gateway.dispatcher.handle(invoke, channel: alice)
        _ = await gateway.dispatcher.handle(try request("tools/call", #"{"name":"alpha__echo","arguments":{}}"#), channel: alice)
        let uri = ResourceURIMapper.gatewayURI(server: "alpha", original: "file:///notes.txt")
        #expect(try errorCode(await gateway.dispatcher.handle(request("resources/read", #"{"uri":"\#(uri)"}"#), channel: alice)) == -32_098)
        #expect(try errorCode(await gateway.dispatcher.handle(request("resources/subscribe", #"{"uri":"\#(uri)"}"#), channel: alice)) == -32_098)
        for (method, params) in [("tools/call", #"{"name":"echo","arguments":{"text":"x"}}"#), ("resources/read", #"{"uri":"file:///a"}"#),
                                 ("prompts/get", #"{"name":"greet"}"#), ("completion/complete", "{}")] {
            let reply = try await gateway.dispatcher.relay(request(method, params), method: method, params: Array(params.utf8)[...],
                                                           to: "alpha", hooks: .init(), principal: alice.context.principal)
            #expect(try errorCode(reply) == -32_098, "\(method)")
        }
        let seen = calls.seen.withLock { $0 }
        #expect(seen.map(\.1) == [.tool("echo"), .tool("echo"), .resourceRead(uri: "file:///notes.txt"),
                                  .resourceSubscription(uri: "file:///notes.txt", subscribe: true), .tool("echo"),
                                  .resourceRead(uri: "file:///a"), .prompt("greet"), .relayed(method: "completion/complete")])
        #expect(seen.allSatisfy { $0.0 == "alpha" && $0.2 == "alice" })
    }
}
