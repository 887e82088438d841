// One MCP client over Streamable HTTP, in either protocol era.
// Handshake era (default): initialize (which may mint a session id), then JSON-RPC posts
// carrying it; servers that mint no id (stateless ones) are accepted too.
// 2026-07-28: no handshake and no session; one server/discover opens the client, and every
// request carries MCP-Protocol-Version, Mcp-Method and Mcp-Name headers (its params carry the
// `_meta` envelope, added by `ProtocolEra.params`). Answers may be plain JSON or an event stream.

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

/// Which protocol era the client speaks.
enum ProtocolEra: String, Sendable, CaseIterable {
    case legacy
    case modern = "2026-07-28"
    /// Legacy (handshake, session) with the 2026-07-28 `_meta` envelope in every request's params,
    /// so both eras send the same request body: separates the era's path from its bigger messages.
    case legacyWithEnvelope = "legacy+envelope"

    static let modernVersion = "2026-07-28"
    static let clientInfo: JSONValue = ["name": "gateway-bench", "version": "1.0.0"]

    /// Encodes tools/call (or any request's) params; in the 2026-07-28 era with its `_meta` envelope.
    func params(_ object: JSONObject) -> [UInt8] {
        var object = object
        if self != .legacy {
            object["_meta"] = [
                "io.modelcontextprotocol/protocolVersion": .string(Self.modernVersion),
                "io.modelcontextprotocol/clientCapabilities": .object(JSONObject()),
                "io.modelcontextprotocol/clientInfo": Self.clientInfo,
            ]
        }
        return JSONWriter.encode(.object(object))
    }
}

/// What every session of one load run shares: era, extra headers and (2026-07-28) the
/// routing headers that must mirror the body.
struct SessionSettings: Sendable {
    var era: ProtocolEra = .legacy
    /// Sent on every request, e.g. `authorization: Bearer …` for a peer that wants it.
    var headers: [(name: String, value: String)] = []
    /// 2026-07-28: Mcp-Method and Mcp-Name of the load's requests (one method and tool per run).
    var method = "tools/call"
    var name: String?
}

struct MCPHTTPSession: Sendable {
    static let requestTimeout: TimeAmount = .seconds(60)
    static let maximumBody = 256 * 1024 * 1024
    static let clientProtocolVersion = "2025-06-18"

    let client: HTTPClient
    let url: String
    let settings: SessionSettings
    private(set) var sessionID: String?
    private(set) var protocolVersion: String?
    private var lastID = 0

    init(client: HTTPClient, url: String, settings: SessionSettings = SessionSettings()) {
        self.client = client
        self.url = url
        self.settings = settings
    }

    /// Legacy: initialize + notifications/initialized. 2026-07-28: server/discover, which must
    /// list the era. Returns the first exchange.
    @discardableResult
    mutating func open() async throws -> RPCExchange {
        if settings.era == .modern { return try await discover() }
        let params: JSONValue = [
            "protocolVersion": .string(Self.clientProtocolVersion),
            "capabilities": .object(JSONObject()),
            "clientInfo": ProtocolEra.clientInfo,
        ]
        let exchange = try await post(JSONRPCEncoder.request(id: .int(nextID()), method: "initialize", params: params))
        guard exchange.status == 200, let decoded = try? JSONRPCMessage.decode(exchange.message), let result = decoded.result else {
            throw BenchFailure("initialize answered HTTP \(exchange.status): \(exchange.excerpt)")
        }
        // A server that mints no Mcp-Session-Id is stateless: requests then go without one.
        sessionID = exchange.sessionID
        protocolVersion = (try? JSONParser.parse(result))?["protocolVersion"]?.stringValue
        let initialized = try await post(JSONRPCEncoder.notification(method: "notifications/initialized", params: nil as JSONValue?))
        guard (200..<300).contains(initialized.status) else {
            throw BenchFailure("notifications/initialized answered HTTP \(initialized.status)")
        }
        return exchange
    }

    private mutating func discover() async throws -> RPCExchange {
        let body = JSONRPCEncoder.request(id: .int(nextID()), method: "server/discover",
                                          params: ProtocolEra.modern.params(JSONObject())[...])
        let exchange = try await post(body, method: "server/discover", name: nil)
        guard exchange.status == 200, let result = exchange.successfulResult,
              ByteSearch.contains(result, Array("\"\(ProtocolEra.modernVersion)\"".utf8)) else {
            throw BenchFailure("server/discover answered HTTP \(exchange.status) without \(ProtocolEra.modernVersion): \(exchange.excerpt)")
        }
        protocolVersion = ProtocolEra.modernVersion
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

    /// Posts one message of the load (2026-07-28: with the run's routing headers).
    func post(_ body: [UInt8]) async throws -> RPCExchange {
        try await post(body, method: settings.method, name: settings.name)
    }

    private func post(_ body: [UInt8], method: String, name: String?) async throws -> RPCExchange {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "application/json, text/event-stream")
        if settings.era == .modern {
            request.headers.add(name: "mcp-protocol-version", value: ProtocolEra.modernVersion)
            request.headers.add(name: "mcp-method", value: method)
            if let name { request.headers.add(name: "mcp-name", value: name) }
        } else {
            if let sessionID { request.headers.add(name: "mcp-session-id", value: sessionID) }
            if let protocolVersion { request.headers.add(name: "mcp-protocol-version", value: protocolVersion) }
        }
        for header in settings.headers { request.headers.add(name: header.name, value: header.value) }
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
