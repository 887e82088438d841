// The --http front end: MCP Streamable HTTP at /mcp answering every POST with JSON (never
// an event stream), minting Mcp-Session-Id on initialize; GET has no stream (405).

import Hummingbird
import NIOCore
import Synchronization

enum HTTPServer {
    static func run(responder: BenchResponder, port: Int) async throws {
        let endpoint = MCPEndpoint(responder: responder, sessions: SessionRegistry())
        let router = Router()
        router.post("/mcp") { request, _ in await endpoint.post(request) }
        router.get("/mcp") { _, _ in Response(status: .methodNotAllowed) }
        router.delete("/mcp") { request, _ in endpoint.delete(request) }
        router.get("/health") { _, _ in Response(status: .ok) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-backend"))
        try await app.runService()
    }
}

/// `HTTPField.Name` without importing HTTPTypes, which this target does not declare.
typealias HeaderName = HTTPFields.Element.Name

struct MCPEndpoint: Sendable {
    static let sessionHeader = HeaderName("Mcp-Session-Id")
    static let maximumBody = 16 * 1024 * 1024
    let responder: BenchResponder
    let sessions: SessionRegistry

    func post(_ request: Request) async -> Response {
        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: Self.maximumBody)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            return Response(status: .contentTooLarge)
        }
        let reply = responder.reply(to: body)
        var headers: HTTPFields = [.contentType: "application/json"]
        if reply.isInitialize {
            if let name = Self.sessionHeader { headers[name] = sessions.mint() }
        } else if !sessions.contains(sessionID(of: request)) {
            return Response(status: .notFound)
        }
        guard let bytes = reply.bytes else { return Response(status: .accepted) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func delete(_ request: Request) -> Response {
        sessions.remove(sessionID(of: request)) ? Response(status: .ok) : Response(status: .notFound)
    }

    private func sessionID(of request: Request) -> String? {
        Self.sessionHeader.flatMap { request.headers[$0] }
    }
}

/// Session ids minted by initialize; requests carrying any other id get 404, as the spec asks.
final class SessionRegistry: Sendable {
    private let ids = Mutex<Set<String>>([])

    func mint() -> String {
        let id = "bench-" + String(UInt64.random(in: .min ... .max), radix: 16)
        ids.withLock { _ = $0.insert(id) }
        return id
    }

    func contains(_ id: String?) -> Bool {
        guard let id else { return false }
        return ids.withLock { $0.contains(id) }
    }

    func remove(_ id: String?) -> Bool {
        guard let id else { return false }
        return ids.withLock { $0.remove(id) != nil }
    }
}
