// One HTTP/1.1 connection of the --http front end: collects each request's body and answers
// it on the event loop (BenchResponder is synchronous). POST /mcp carries JSON-RPC, DELETE
// /mcp ends a session, GET /mcp is 405 (no server stream), GET /health is 200, the rest 404.

import NIOCore
import NIOHTTP1

final class MCPHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBody = 16 * 1024 * 1024
    static let sessionHeader = "Mcp-Session-Id"

    private let responder: BenchResponder
    private let sessions: SessionRegistry
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false

    init(responder: BenchResponder, sessions: SessionRegistry) {
        self.responder = responder
        self.sessions = sessions
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            tooLarge = false
        case .body(var chunk):
            guard !tooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > Self.maximumBody {
                tooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            answer(head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        switch (head.method, path) {
        case (.POST, "/mcp"):
            post(head, context: context)
        case (.GET, "/mcp"):
            respond(head, .methodNotAllowed, context: context)
        case (.DELETE, "/mcp"):
            let removed = sessions.remove(head.headers.first(name: Self.sessionHeader))
            respond(head, removed ? .ok : .notFound, context: context)
        case (.GET, "/health"):
            respond(head, .ok, context: context)
        default:
            respond(head, .notFound, context: context)
        }
    }

    private func post(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard !tooLarge else { return respond(head, .payloadTooLarge, context: context) }
        var buffer = body ?? ByteBuffer()
        body = nil
        let reply = responder.reply(to: buffer.readBytes(length: buffer.readableBytes) ?? [])
        var sessionID: String?
        if reply.isInitialize {
            sessionID = sessions.mint()
        } else if !sessions.contains(head.headers.first(name: Self.sessionHeader)) {
            return respond(head, .notFound, context: context)
        }
        guard let bytes = reply.bytes else { return respond(head, .accepted, context: context) }
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let sessionID { headers.add(name: Self.sessionHeader, value: sessionID) }
        respond(head, .ok, headers: headers, body: context.channel.allocator.buffer(bytes: bytes), context: context)
    }

    private func respond(_ request: HTTPRequestHead, _ status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(),
                         body: ByteBuffer? = nil, context: ChannelHandlerContext) {
        var headers = headers
        headers.add(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
