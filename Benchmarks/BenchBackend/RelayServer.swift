// The --relay-tcp and --relay-http front ends: the floor of any relay on this machine, for
// issue 16's CPU table. Each accepted connection gets its own keep-alive connection to the
// backend on the same event loop, and the two are glued: nothing is looked at (tcp: bytes
// copied as read), or each HTTP/1.1 message is parsed and written again (http: NIOHTTP1's
// codecs on both sides, the least an HTTP relay that can see a request does). No MCP, no
// JSON, no routing, no tasks: what is left is the kernel's two socket exchanges per call and
// the event loop. A gateway's CPU per call compared with these says what its own work costs.

import NIOCore
import NIOHTTP1
import NIOPosix

enum RelayServer {
    enum Kind { case tcp, http }

    static func run(kind: Kind, port: Int, backendPort: Int) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                connect(inbound, kind: kind, backendPort: backendPort)
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        try await server.closeFuture.get()
    }

    /// Connects the inbound channel's partner and glues the two; reading starts once both exist.
    private static func connect(_ inbound: any Channel, kind: Kind, backendPort: Int) -> EventLoopFuture<Void> {
        ClientBootstrap(group: inbound.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: backendPort)
            .flatMapThrowing { outbound in
                let inboundSide = inbound.pipeline.syncOperations
                let outboundSide = outbound.pipeline.syncOperations
                switch kind {
                case .tcp:
                    let (front, back) = GlueHandler<ByteBuffer, ByteBuffer>.pair()
                    try inboundSide.addHandler(front)
                    try outboundSide.addHandler(back)
                case .http:
                    try inboundSide.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
                    try outboundSide.addHTTPClientHandlers()
                    let (front, back) = GlueHandler<HTTPServerRequestPart, HTTPClientResponsePart>.pair()
                    try inboundSide.addHandler(HTTPServerSide())
                    try inboundSide.addHandler(front)
                    try outboundSide.addHandler(HTTPClientSide())
                    try outboundSide.addHandler(back)
                }
            }
    }
}

/// Forwards what one side reads to the other side's pipeline, flushing on read-complete, and
/// closes both when either closes. The front has autoRead off, so that nothing is read before
/// its partner exists; the glue starts reading when its channel is active (the initializer
/// runs before the accepted channel is registered) and again after each read.
final class GlueHandler<In, Out>: ChannelDuplexHandler {
    typealias InboundIn = In
    typealias OutboundIn = Out
    typealias OutboundOut = Out

    private var partner: GlueHandler<Out, In>?
    private var context: ChannelHandlerContext?

    init() {}

    static func pair() -> (GlueHandler<In, Out>, GlueHandler<Out, In>) {
        let first = GlueHandler<In, Out>()
        let second = GlueHandler<Out, In>()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { context.read() }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.read()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    /// Called by the partner with what it read.
    fileprivate func forward(_ data: NIOAny) { context?.write(data, promise: nil) }
    fileprivate func flushForward() { context?.flush() }
    fileprivate func closeForward() { context?.close(promise: nil) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.forward(data) }
    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.flushForward()
        context.read()
    }
    func channelInactive(context: ChannelHandlerContext) { partner?.closeForward() }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// The server side of the HTTP relay: a response part from the backend goes out as the same
/// part of the front's response (the two codecs' part types differ only in the body's type).
final class HTTPServerSide: ChannelOutboundHandler {
    typealias OutboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head): context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body(let body): context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: promise)
        case .end(let trailers): context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        }
    }
}

/// The client side of the HTTP relay: a request part from the front goes to the backend.
final class HTTPClientSide: ChannelOutboundHandler {
    typealias OutboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head): context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body(let body): context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: promise)
        case .end(let trailers): context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        }
    }
}
