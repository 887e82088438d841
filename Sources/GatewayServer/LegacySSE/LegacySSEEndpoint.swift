// The 2024-11-05 HTTP+SSE front end: `GET /sse` opens a session whose first event names the
// URL to POST to; `POST /messages?session_id=ID` takes one message (202) and every answer goes
// out on the stream. Origin, Host, Content-Type and size are checked as for /mcp.

import GatewayAuth
import GatewayCore
import Hummingbird
import HTTPTypes
import Logging
import MCPProtocol
import NIOCore
import ServiceLifecycle

struct LegacySSEEndpoint: Sendable {
    let gateway: Gateway
    let sessions: LegacySSESessions
    let guardian: StreamableHTTPEndpoint
    let maxBodySize: Int
    let keepAliveInterval: Duration
    let outboundLimit: Int
    let logger: Logger

    static let streamPath = "/sse"
    static let messagesPath = "/messages"

    func get(_ request: Request, channel: (any Channel)? = nil, principal: Principal) -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        if let accept = request.headers.value(.accept),
           !(AcceptHeader.lists(accept, "text/event-stream") || AcceptHeader.lists(accept, "*/*")) {
            return HTTPReplies.rpcError(.notAcceptable, code: JSONRPCErrorCode.invalidRequest,
                                        message: "GET \(Self.streamPath) opens an event stream: Accept must include text/event-stream")
        }
        // The slot is taken when the stream starts; this answers the common case with a 503.
        guard sessions.budget.hasRoom else {
            sessions.budget.noteRefusal("legacy SSE session", logger: logger)
            return sessions.budget.refusal()
        }
        let (gateway, sessions, logger, interval, limit) = (self.gateway, self.sessions, self.logger, keepAliveInterval, outboundLimit)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            let opened = sessions.open(gateway: gateway, principal: principal) { id in
                OutboundBuffer(limit: limit, onOverflow: OutboundBuffer.closing(channel, limit: limit, logger: logger, what: "legacy SSE stream", session: id))
            }
            guard let session = opened else {
                // Lost the race for the last slot: say so on the stream and end it.
                let refusal = JSONRPCEncoder.error(id: nil, code: SessionBudget.errorCode, message: sessions.budget.refusalMessage)
                try await writer.write(ByteBuffer(bytes: ServerSentEvent.encodeMessage(refusal)))
                try await writer.finish(nil)
                return
            }
            let notifications = ConnectionNotifications(gateway: gateway, connection: session.connection)
            logger.info("legacy SSE session started", metadata: ["session": "\(SessionTag.of(session.id))"])
            let keepAlive = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    session.sendRaw(ServerSentEvent.keepAlive)
                }
            }
            do {
                try await writer.write(ByteBuffer(bytes: session.endpointEvent))
                // Open streams must not hold up a graceful shutdown.
                for await chunk in session.events.cancelOnGracefulShutdown() {
                    try await writer.write(ByteBuffer(bytes: chunk))
                    session.buffer.drained(chunk.count)
                }
            } catch {
                // The client went away: a write failed (at the latest, the next keep-alive's).
            }
            keepAlive.cancel()
            sessions.close(session.id)
            await notifications.cancel()
            logger.info("legacy SSE session ended", metadata: ["session": "\(SessionTag.of(session.id))"])
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    func post(_ request: Request, principal: Principal) async -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        guard AcceptHeader.isJSON(request.headers.value(.contentType)) else {
            return HTTPReplies.rpcError(.unsupportedMediaType, code: JSONRPCErrorCode.invalidRequest,
                                        message: "Content-Type must be application/json")
        }
        if let length = request.headers.value(.contentLength).flatMap(Int.init), length > maxBodySize {
            return tooLarge()
        }
        guard let id = request.uri.queryParameters.get("session_id"), !id.isEmpty else {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest,
                                        message: "session_id query parameter is required (GET \(Self.streamPath) first)")
        }
        guard let session = sessions.session(id, for: principal) else {
            return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest,
                                        message: "Session not found: its event stream is closed; GET \(Self.streamPath) again")
        }
        let body: [UInt8]
        switch await request.readBody(upTo: maxBodySize, tooLarge: tooLarge) {
        case .bytes(let bytes): body = bytes
        case .refused(let response): return response
        }
        // Malformed JSON is refused here, where the client can see it; batches are checked per element.
        if !JSONScanner.isArray(body) {
            do {
                _ = try JSONRPCMessage.decode(body)
            } catch {
                return HTTPReplies.rpcError(.badRequest, code: error.code, message: error.message, id: error.id)
            }
        }
        let connection = session.connection
        Task { await connection.handle(body) }
        return HTTPReplies.accepted()
    }

    private func tooLarge() -> Response {
        HTTPReplies.rpcError(.contentTooLarge, code: JSONRPCErrorCode.invalidRequest,
                             message: "Request body exceeds server.max_body_size (\(maxBodySize) bytes)")
    }
}
