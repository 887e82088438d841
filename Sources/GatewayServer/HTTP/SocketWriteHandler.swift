// A pass-through handler at the socket end of an HTTP connection's pipeline. PlainPostHandler
// writes its finished answers (status line, headers and body serialised in one buffer) through
// this handler's context, straight to the socket: NIO's response encoder would otherwise
// rebuild the same bytes from HTTPHeaders part by part, about 20k instructions per answer.
// Answers never interleave with Hummingbird's (PlainPostHandler keeps them in order), so the
// encoder's per-response state is never crossed.

import NIOCore

final class SocketWriteHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData

    /// This handler's context, once added; used only on the channel's event loop.
    private(set) var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }
}
