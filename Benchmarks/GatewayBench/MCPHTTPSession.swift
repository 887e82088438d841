// One MCP client session over Streamable HTTP: initialize (which mints the session id),
// then JSON-RPC posts carrying it. Answers may be plain JSON or an event stream.

import AsyncHTTPClient
import MCPProtocol
import NIOCore

/// One POST and its answer, reduced to what the benchmarks look at.
struct RPCExchange: Sendable {
    var status: Int
    var sessionID: String?
    /// The JSON-RPC response (from the body, or the last `message` event of a stream).
    var message: [UInt8]
}

struct MCPHTTPSession: Sendable {
    static let requestTimeout: TimeAmount = .seconds(60)
    static let maximumBody = 256 * 1024 * 1024
    static let clientProtocolVersion = "2025-06-18"

    let client: HTTPClient
    let url: String
    private(set) var sessionID: String?
    private(set) var protocolVersion: String?
    private var lastID = 0

    init(client: HTTPClient, url: String) {
        self.client = client
        self.url = url
    }

    /// initialize + notifications/initialized; returns the initialize exchange.
    @discardableResult
    mutating func open() async throws -> RPCExchange {
        let params: JSONValue = [
            "protocolVersion": .string(Self.clientProtocolVersion),
            "capabilities": .object(JSONObject()),
            "clientInfo": ["name": "gateway-bench", "version": "1.0.0"],
        ]
        let exchange = try await post(JSONRPCEncoder.request(id: .int(nextID()), method: "initialize", params: params))
        guard exchange.status == 200, let minted = exchange.sessionID else {
            throw BenchFailure("initialize answered HTTP \(exchange.status) without Mcp-Session-Id: \(exchange.excerpt)")
        }
        sessionID = minted
        let result = try JSONRPCMessage.decode(exchange.message).result.map { try JSONParser.parse($0) }
        protocolVersion = result?["protocolVersion"]?.stringValue
        let initialized = try await post(JSONRPCEncoder.notification(method: "notifications/initialized", params: nil as JSONValue?))
        guard (200..<300).contains(initialized.status) else {
            throw BenchFailure("notifications/initialized answered HTTP \(initialized.status)")
        }
        return exchange
    }

    mutating func nextID() -> Int {
        lastID += 1
        return lastID
    }

    /// A request body for `method` with pre-encoded params.
    mutating func request(_ method: String, params: [UInt8]) -> [UInt8] {
        JSONRPCEncoder.request(id: .int(nextID()), method: method, params: params[...])
    }

    func post(_ body: [UInt8]) async throws -> RPCExchange {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "application/json, text/event-stream")
        if let sessionID { request.headers.add(name: "mcp-session-id", value: sessionID) }
        if let protocolVersion { request.headers.add(name: "mcp-protocol-version", value: protocolVersion) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: Self.requestTimeout)
        let contentType = response.headers.first(name: "content-type") ?? ""
        let buffer = try await response.body.collect(upTo: Self.maximumBody)
        let bytes = Array(buffer.readableBytesView)
        let message = contentType.lowercased().hasPrefix("text/event-stream") ? Self.lastMessage(inEventStream: bytes) : bytes
        return RPCExchange(status: Int(response.status.code), sessionID: response.headers.first(name: "mcp-session-id"),
                           message: message)
    }

    /// The last `message` event's data: the response follows any progress notifications.
    static func lastMessage(inEventStream bytes: [UInt8]) -> [UInt8] {
        var parser = SSEParser()
        let events = parser.feed(bytes) + parser.finish()
        return events.last(where: { $0.type == "message" && !$0.data.isEmpty }).map { Array($0.data.utf8) } ?? []
    }
}

extension RPCExchange {
    var excerpt: String { String(decoding: message.prefix(200), as: UTF8.self) }

    /// The `result` of a successful JSON-RPC response whose tool result is not `isError`;
    /// nil for anything else (HTTP error, JSON-RPC error, tool error).
    var successfulResult: ArraySlice<UInt8>? {
        guard status == 200, let decoded = try? JSONRPCMessage.decode(message), decoded.kind == .response,
              let result = decoded.result else { return nil }
        if ByteSearch.contains(result, ByteSearch.isErrorTrue) { return nil }
        return result
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
