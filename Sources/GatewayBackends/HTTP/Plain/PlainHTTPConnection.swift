// One keep-alive HTTP/1.1 connection to a backend, carrying one exchange at a time. NIO's
// HTTP codec frames the messages (a request's body, framed by Content-Length, is written at
// the socket end past the encoder); the handler below hands each part to the current exchange
// and gives the connection back to its pool once an answer has ended.

import NIOCore
import NIOHTTP1
import NIOPosix

final class PlainHTTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<PlainHTTPResponseHandler>

    /// Where a request's body is written, after the HTTP encoder has sent its head.
    private let socketEnd: NIOLoopBound<SocketWriteHandler>

    private init(channel: any Channel, handler: NIOLoopBound<PlainHTTPResponseHandler>, socketEnd: NIOLoopBound<SocketWriteHandler>) {
        self.channel = channel
        self.handler = handler
        self.socketEnd = socketEnd
    }

    static func connect(to target: HTTPTarget, on loop: (any EventLoop)? = nil, connectTimeout: TimeAmount) async throws -> PlainHTTPConnection {
        let channel = try await ClientBootstrap(group: loop ?? MultiThreadedEventLoopGroup.singleton.next())
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SocketWriteHandler())
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(PlainHTTPResponseHandler())
                }
            }
            .connect(host: target.host, port: target.port)
            .get()
        let (handler, socketEnd) = try await channel.eventLoop.submit {
            let operations = channel.pipeline.syncOperations
            return (NIOLoopBound(try operations.handler(type: PlainHTTPResponseHandler.self), eventLoop: channel.eventLoop),
                    NIOLoopBound(try operations.handler(type: SocketWriteHandler.self), eventLoop: channel.eventLoop))
        }.get()
        return PlainHTTPConnection(channel: channel, handler: handler, socketEnd: socketEnd)
    }

    /// Writes the request and lets the handler feed `exchange`; `onReusable` runs once the
    /// answer has ended on a connection that stays open.
    func start(_ exchange: PlainHTTPExchange, head: HTTPRequestHead, body: [UInt8]?, deadline: NIODeadline?,
               onReusable: @escaping @Sendable () -> Void) {
        let channel = self.channel
        let (handler, socketEnd) = (self.handler, self.socketEnd)
        channel.eventLoop.execute {
            guard channel.isActive else {
                exchange.connectionClosed()
                return
            }
            handler.value.begin(exchange, context: channel, deadline: deadline, onReusable: onReusable)
            // The head goes through NIO's encoder (and the response decoder, which must see each
            // request's head). A body, framed by the head's Content-Length, goes straight to the
            // socket: two trips through the pipeline fewer per call (~19k instructions).
            var head = head
            if let body { head.headers.replaceOrAdd(name: "content-length", value: String(body.count)) }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body, let socket = socketEnd.value.context {
                socket.writeAndFlush(NIOAny(IOData.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
                return
            }
            if let body {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Lives on the connection's event loop.
final class PlainHTTPResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var exchange: PlainHTTPExchange?
    private var onReusable: (@Sendable () -> Void)?
    private var keepAlive = true
    /// When the current exchange must have its answer (its head, for a stream); nil when none.
    private var deadline: NIODeadline?
    /// One timer per connection, not one per exchange: a timer that fires early (its exchange
    /// was answered and a later one began) just sets itself for the current deadline. Back-to-
    /// back calls on a kept-alive connection then schedule and cancel nothing (callgrind: a
    /// scheduled task per call cost ~2.4k instructions and an allocation).
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?

    func begin(_ exchange: PlainHTTPExchange, context channel: any Channel, deadline: NIODeadline?,
               onReusable: @escaping @Sendable () -> Void) {
        self.exchange = exchange
        self.onReusable = onReusable
        keepAlive = true
        self.deadline = deadline
        if let deadline, timer.map({ $0.at > deadline }) ?? true {
            setTimer(at: deadline, channel: channel)
        }
    }

    private func setTimer(at deadline: NIODeadline, channel: any Channel) {
        timer?.task.cancel()
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let task = channel.eventLoop.scheduleTask(deadline: deadline) { handler.value.timerFired(channel: channel) }
        timer = (task, deadline)
    }

    private func timerFired(channel: any Channel) {
        timer = nil
        guard let deadline else { return }
        guard deadline <= .now() else {
            setTimer(at: deadline, channel: channel)
            return
        }
        exchange?.fail(PlainHTTPExchange.Failure.timedOut)
        channel.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // 1xx heads (100 Continue) precede the real answer.
            guard head.status.code >= 200 else { return }
            keepAlive = head.isKeepAlive
            let channel = context.channel
            let isEventStream = BackendHTTPResponse.isEventStream(head.headers)
            exchange.receivedHead(head, isEventStream: isEventStream) { channel.close(promise: nil) }
            if isEventStream {
                // A stream lasts as long as it lasts; the deadline was for its head.
                deadline = nil
            }
        case .body(let buffer):
            if !exchange.receivedBody(buffer) { context.close(promise: nil) }
        case .end:
            deadline = nil
            self.exchange = nil
            let reusable = onReusable
            onReusable = nil
            // Back in the pool before the caller resumes, so its next request finds it there.
            if keepAlive, let reusable { reusable() } else { context.close(promise: nil) }
            exchange.finished()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        exchange?.connectionClosed()
        exchange = nil
        onReusable = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        exchange?.connectionClosed(error)
        exchange = nil
        onReusable = nil
        context.close(promise: nil)
    }
}
