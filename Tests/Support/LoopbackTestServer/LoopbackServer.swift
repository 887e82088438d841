// A small HTTP/1.1 server on 127.0.0.1 for tests: answers each request with a closure's canned reply and
// records what it received, so tests can run capabilities and the OAuth key fetch end to end without
// leaving this machine. A target of its own, shared by the test targets that need it.

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request as the server saw it.
public struct RecordedRequest: Sendable {
    public var method: String
    /// Path and query as sent (still encoded).
    public var uri: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var path: String { String(uri.prefix { $0 != "?" }) }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A reply to send.
public struct CannedReply: Sendable {
    public var status: Int = 200
    public var headers: [(String, String)] = [("Content-Type", "application/json")]
    public var body: String = "{}"
    /// Delay before answering (to provoke timeouts).
    public var delay: Duration = .zero

    public init(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], body: String = "{}",
                delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    public static func json(_ body: String, status: Int = 200) -> CannedReply {
        CannedReply(status: status, body: body)
    }
}

/// The requests a server received, shared with its connection handlers.
private final class RequestLog: Sendable {
    let entries = Mutex<[RecordedRequest]>([])
}

public final class LoopbackServer: Sendable {
    private let channel: any Channel
    private let log = RequestLog()
    public let port: Int

    public var origin: String { "http://127.0.0.1:\(port)" }
    public var requests: [RecordedRequest] { log.entries.withLock { $0 } }

    public init(_ respond: @escaping @Sendable (RecordedRequest) -> CannedReply) async throws {
        let log = self.log
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RecordingHandler(respond: respond) { request in
                        log.entries.withLock { $0.append(request) }
                    })
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    public func stop() async {
        try? await channel.close()
    }
}

private final class RecordingHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let respond: @Sendable (RecordedRequest) -> CannedReply
    let record: @Sendable (RecordedRequest) -> Void
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(respond: @escaping @Sendable (RecordedRequest) -> CannedReply, record: @escaping @Sendable (RecordedRequest) -> Void) {
        self.respond = respond
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(method: head.method.rawValue, uri: head.uri,
                                          headers: head.headers.map { ($0.name, $0.value) }, body: body)
            record(request)
            let reply = respond(request)
            let keepAlive = head.isKeepAlive
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let write: @Sendable () -> Void = {
                let (handler, context) = loopBound.value
                var headers = HTTPHeaders(reply.headers)
                let bytes = Array(reply.body.utf8)
                headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
                if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: reply.status),
                                                    headers: headers)
                context.write(handler.wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
                let done = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
                if !keepAlive { done.whenComplete { _ in loopBound.value.1.close(promise: nil) } }
            }
            if reply.delay > .zero {
                let nanos = reply.delay.components.seconds * 1_000_000_000 + reply.delay.components.attoseconds / 1_000_000_000
                context.eventLoop.scheduleTask(in: .nanoseconds(nanos)) { write() }
            } else {
                write()
            }
            self.head = nil
        }
    }
}
