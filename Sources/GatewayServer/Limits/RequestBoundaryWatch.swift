// Tells the connection's ConnectionTimeoutHandler where requests begin and end. It sits just
// above NIO's HTTP decoder (below the upgrade handler, PlainPostHandler and
// Hummingbird's codec), so it sees every request head and every response Hummingbird writes;
// PlainPostHandler reports its own answers. A 101 response means the connection became a
// WebSocket: the watch reports it and leaves the pipeline, since no HTTP parts follow.

import NIOCore
import NIOHTTP1

final class RequestBoundaryWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let timeouts: ConnectionTimeoutHandler

    init(timeouts: ConnectionTimeoutHandler) { self.timeouts = timeouts }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: timeouts.headReceived()
        case .end: timeouts.requestEnded()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status == .switchingProtocols:
            timeouts.upgraded()
            // Flushed here: the upgrade handler writes and flushes in one call, whose flush
            // would reach this context only after the handler has left the pipeline.
            context.writeAndFlush(data, promise: promise)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .end:
            context.write(data, promise: promise)
            timeouts.responseEnded()
        default:
            context.write(data, promise: promise)
        }
    }
}
