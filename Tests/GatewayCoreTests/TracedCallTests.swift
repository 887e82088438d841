// The spans of a search-then-invoke round through the core, over the package's bench-backend
// on stdio, written to swift-distributed-tracing's in-memory tracer: one server span per
// request, the search as a child of its request, and for the invoke a policy span and a
// client span for the backend exchange (backend, transport, protocol version), siblings under
// the request. A call a scope refuses has a failed policy span and no exchange.

import Foundation
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayTracing
import InMemoryTracing
import Logging
import MCPProtocol
import Testing
import Tracing

struct TracedCallTests {
    let memory = InMemoryTracer()
    let gateway: Gateway

    init() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let backend = root.appendingPathComponent(".build/debug/bench-backend").path
        let yaml = """
            backends:
              alpha: {command: "\(backend) --stdio"}
            capabilities: {enabled: false}
            auth:
              api_keys:
                - {name: alice, key: alice-key-0123456789}
                - {name: mallory, key: mallory-key-0123456789, denied_tools: ["alpha:*"]}
            """
        let config = try #require(ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:]).config)
        gateway = Gateway(config: config, logger: Logger(label: "test"), tracer: GatewayTracer(tracer: memory))
        await gateway.start()
    }

    private func call(_ tool: String, _ arguments: String, as name: String) async throws -> [UInt8]? {
        let message = try JSONRPCMessage.decode(Array("""
            {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"\(tool)","arguments":\(arguments)}}
            """.utf8))
        let principal = Principal(name: name, method: .apiKey, isAdmin: false)
        return await gateway.dispatcher.handle(message, channel: DetachedClientChannel(context: ClientContext(principal: principal,
                                                                                                             frontEnd: .streamableHTTP)))
    }

    private func named(_ name: String) -> [FinishedInMemorySpan] {
        memory.finishedSpans.filter { $0.operationName == name }
    }

    @Test func searchThenInvokeMakesOneTreePerRequest() async throws {
        _ = try await call("gateway_search_tools", #"{"query":"echo text"}"#, as: "alice")
        _ = try await call("gateway_invoke", #"{"server":"alpha","tool":"echo","arguments":{"text":"hi"}}"#, as: "alice")
        await gateway.shutdown()

        let search = try #require(named("tools/call gateway_search_tools").first)
        #expect(search.kind == .server && search.parentSpanID == nil)
        #expect(search.attributes.get(MCPSpanNames.toolName) == .string("gateway_search_tools"))
        #expect(search.attributes.get(MCPSpanNames.principal) == .string("alice"))
        let searching = try #require(named(MCPSpanNames.search).first)
        #expect(searching.parentSpanID == search.spanID)
        #expect(searching.attributes.get(MCPSpanNames.searchHits) != nil)

        let invoke = try #require(named("tools/call gateway_invoke").first)
        #expect(invoke.traceID != search.traceID, "each request starts its own trace when the client sent none")
        let policy = try #require(named(MCPSpanNames.policy).first { $0.traceID == invoke.traceID })
        #expect(policy.parentSpanID == invoke.spanID && policy.status == nil)
        let exchange = try #require(named("tools/call echo").first)
        #expect(exchange.kind == .client && exchange.parentSpanID == invoke.spanID)
        #expect(exchange.attributes.get(MCPSpanNames.backendName) == .string("alpha"))
        #expect(exchange.attributes.get(MCPSpanNames.backendTransport) == .string("stdio"))
        #expect(exchange.attributes.get(MCPSpanNames.networkTransport) == .string("pipe"))
        #expect(exchange.attributes.get(MCPSpanNames.protocolVersion) != nil)
        #expect(exchange.attributes.get(MCPSpanNames.attempt) == .int64(1))
        #expect(exchange.status == nil)
    }

    @Test func aRefusedCallEndsInAFailedPolicySpanAndNoExchange() async throws {
        let reply = try await call("gateway_invoke", #"{"server":"alpha","tool":"echo","arguments":{}}"#, as: "mallory")
        await gateway.shutdown()
        #expect(reply.map { String(decoding: $0, as: UTF8.self) }?.contains("isError") == true)
        let request = try #require(named("tools/call gateway_invoke").first)
        #expect(request.status?.code == .error)
        #expect(request.attributes.get(MCPSpanNames.errorType) == .string("tool_error"))
        #expect(named("tools/call echo").isEmpty, "a refused call must not reach the backend")
        let policy = try #require(named(MCPSpanNames.policy).first)
        #expect(policy.parentSpanID == request.spanID)
        #expect(policy.status?.code == .error)
        #expect(policy.attributes.get(MCPSpanNames.refusal) == .string("denied"))
    }
}
