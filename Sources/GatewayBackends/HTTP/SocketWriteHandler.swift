// A pass-through handler at the socket end of an HTTP connection's pipeline, through whose
// context bytes serialised by hand go straight to the socket, past NIO's HTTP encoder (which
// would otherwise rebuild them from HTTPHeaders part by part, ~20k instructions an answer).
// The front end's PlainPostHandler writes whole answers this way, in order with
// Hummingbird's; PlainHTTPConnection writes request bodies this way after the encoder has
// sent the head. Neither interleaves with the encoder's own messages, so its per-message
// state is never crossed.

import NIOCore

public final class SocketWriteHandler: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = IOData

    /// This handler's context, once added; used only on the channel's event loop.
    public private(set) var context: ChannelHandlerContext?

    public init() {}

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }
}
