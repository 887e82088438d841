// A policy stage applies on every entry path: each front end's request handler, given a
// principal the stage refuses, answers with the stage's error and not with a result. The paths:
// Streamable HTTP routed (session era and 2026-07-28), the lean POST path's work, a batch,
// `/mcp/{backend}`, and the message connection that carries stdio, WebSocket and legacy SSE
// clients. The handlers are driven directly (the gate in front of them is tested over the
// network in Tests/interop/test_auth_gate.py).

import Foundation
import GatewayAuth
import GatewayConfig
import GatewayCore
import HTTPTypes
import Hummingbird
import Logging
import MCPProtocol
import NIOCore
import Synchronization
import Testing
@testable import GatewayServer

/// Refuses everything but `initialize` to mallory (so mallory can hold a session to refuse in).
final class RefuseMalloryAfterInitialize: RequestStage {
    func check(_ request: IncomingRequest) async -> JSONRPCErrorObject? {
        guard request.principal.name == "mallory", request.method != "initialize" else { return nil }
        return JSONRPCErrorObject(code: -32_099, message: "refused by policy")
    }
}

/// Collects a response body.
private struct Collector: ResponseBodyWriter {
    let box: Box
    mutating func write(_ buffer: ByteBuffer) async throws { box.bytes.withLock { $0 += Array(buffer.readableBytesView) } }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

private final class Box: Sendable {
    let bytes = Mutex<[UInt8]>([])
}

struct FrontEndPolicyTests {
    let gateway: Gateway
    let endpoint: StreamableHTTPEndpoint
    let direct: DirectBackendEndpoint
    let mallory = Principal(name: "mallory", method: .apiKey, isAdmin: false)

    init() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let yaml = """
            backends:
              alpha: {command: "\(root.appendingPathComponent(".build/debug/bench-backend").path) --stdio", description: bench}
            capabilities: {enabled: false}
            """
        let config = try #require(ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:]).config)
        gateway = Gateway(config: config, logger: Logger(label: "test"), policy: GatewayPolicy(requestStages: [RefuseMalloryAfterInitialize()]))
        await gateway.start()
        let limits = ServerLimits()
        let policy = OriginPolicy(allowedOrigins: [], bindHost: "127.0.0.1", listening: ListeningPort(39_400))
        endpoint = StreamableHTTPEndpoint(gateway: gateway, sessions: SessionStore(limits: limits), policy: policy,
                                          gate: RequestGate(authenticator: .open, peersHaveCertificates: false),
                                          maxBodySize: 1 << 20, keepAliveInterval: .seconds(15), limits: limits, logger: Logger(label: "test"))
        direct = DirectBackendEndpoint(gateway: gateway, guardian: endpoint, sessions: SessionStore(limits: limits))
    }

    private func request(_ path: String, _ body: String, headers: [HTTPField.Name: String] = [:]) -> Request {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.accept] = "application/json, text/event-stream"
        for (name, value) in headers { fields[name] = value }
        let head = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:39400", path: path, headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body)))
    }

    private func text(_ response: Response) async throws -> String {
        let box = Box()
        try await response.body.write(Collector(box: box))
        return String(decoding: box.bytes.withLock { $0 }, as: UTF8.self)
    }

    private static let refused = "\"code\":-32099"
    private static let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#

    @Test func everyHTTPEntryPathAsksThePolicy() async throws {
        // Routed, session era: mallory may initialize, and nothing after.
        let initialize = await endpoint.post(request("/mcp", #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}"#),
                                                 principal: mallory)
        let session = try #require(initialize.headers[.mcpSessionID])
        let inSession: [HTTPField.Name: String] = [.mcpSessionID: session, .mcpProtocolVersion: "2025-11-25"]
        let listed = await endpoint.post(request("/mcp", #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, headers: inSession),
                                             principal: mallory)
        #expect(try await text(listed).contains(Self.refused))
        // A batch, in a session of the era that has them.
        let older = await endpoint.post(request("/mcp", #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{}}}"#),
                                        principal: mallory)
        let batch = await endpoint.post(request("/mcp", #"[{"jsonrpc":"2.0","id":3,"method":"ping"}]"#,
                                                headers: [.mcpSessionID: try #require(older.headers[.mcpSessionID]), .mcpProtocolVersion: "2025-03-26"]),
                                        principal: mallory)
        #expect(try await text(batch).contains(Self.refused))
        // The lean path's work for the same request.
        let headers = PostHeaders(request("/mcp", "", headers: inSession))
        let work = try #require(endpoint.plainWork(headers, body: Array(#"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#.utf8),
                                                   principal: mallory))
        #expect(String(decoding: await endpoint.run(work) ?? [], as: UTF8.self).contains(Self.refused))
        // 2026-07-28, routed and lean.
        let modernHeaders: [HTTPField.Name: String] = [.mcpProtocolVersion: "2026-07-28", ModernHTTPEndpoint.mcpMethod: "tools/list"]
        let modernBody = #"{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{\#(Self.meta)}}"#
        let modern = await endpoint.post(request("/mcp", modernBody, headers: modernHeaders), principal: mallory)
        #expect(try await text(modern).contains(Self.refused))
        let modernWork = try #require(endpoint.plainWork(PostHeaders(request("/mcp", "", headers: modernHeaders)),
                                                         body: Array(modernBody.utf8), principal: mallory))
        #expect(String(decoding: await endpoint.run(modernWork) ?? [], as: UTF8.self).contains(Self.refused))
        // /mcp/{backend}: a relayed method, and one answered by the endpoint itself.
        for body in [#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}"#,
                     #"{"jsonrpc":"2.0","id":7,"method":"logging/setLevel","params":{"level":"info"}}"#] {
            let relayed = await direct.post(request("/mcp/alpha", body), backendName: "alpha", principal: mallory)
            #expect(try await text(relayed).contains(Self.refused), "\(body)")
        }
        // Another principal is let through on the same paths.
        let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
        let allowed = await direct.post(request("/mcp/alpha", #"{"jsonrpc":"2.0","id":8,"method":"ping"}"#), backendName: "alpha", principal: alice)
        #expect(try await !text(allowed).contains(Self.refused))
    }

    /// stdio, WebSocket and legacy SSE clients all speak through a MessageConnection.
    @Test func theMessageConnectionOfStdioWebSocketAndSSEAsksThePolicy() async throws {
        let written = Box()
        let connection = MessageConnection(sessionID: "t", principal: mallory, gateway: gateway) { bytes in
            written.bytes.withLock { $0 += bytes + [10] }
        }
        await connection.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}"#.utf8))
        await connection.handle(Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8))
        await connection.handle(Array(#"[{"jsonrpc":"2.0","id":3,"method":"ping"}]"#.utf8))
        let lines = String(decoding: written.bytes.withLock { $0 }, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.dropFirst().allSatisfy { $0.contains(Self.refused) }, "\(lines)")
        let modern = MessageConnection(sessionID: "m", principal: mallory, gateway: gateway) { bytes in
            written.bytes.withLock { $0 = bytes }
        }
        await modern.handle(Array(#"{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{\#(Self.meta)}}"#.utf8))
        #expect(String(decoding: written.bytes.withLock { $0 }, as: UTF8.self).contains(Self.refused))
        connection.close()
        modern.close()
    }
}
