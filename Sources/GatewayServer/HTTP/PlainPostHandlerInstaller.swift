// Puts PlainPostHandler where it must sit: below Hummingbird's HTTPTypes codec, so that it
// sees NIOHTTP1's parts before any conversion. Hummingbird only offers a slot above that codec
// (`additionalChannelHandlers`); this handler goes in that slot and, once added, places the
// fast path in front of the codec (and its SocketWriteHandler at the socket end) and removes
// itself. The fast path gets the connection's request timeouts, when the channel has them. The
// SocketWriteHandler goes to the socket end, which on a TLS connection is just above TLS.

import GatewayBackends
import NIOCore
import NIOHTTPTypesHTTP1

final class PlainPostHandlerInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let makeHandler: (SocketWriteHandler, ConnectionTimeoutHandler?) -> PlainPostHandler

    init(_ makeHandler: @escaping (SocketWriteHandler, ConnectionTimeoutHandler?) -> PlainPostHandler) {
        self.makeHandler = makeHandler
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let operations = context.pipeline.syncOperations
        // Without the codec (another channel layout) every request stays Hummingbird's.
        if let codec = try? operations.handler(type: HTTP1ToHTTPServerCodec.self) {
            let socketEnd = SocketWriteHandler()
            let timeouts = (try? operations.handler(type: RequestBoundaryWatch.self))?.timeouts
            if (try? operations.addHandler(socketEnd, position: operations.socketEndPosition())) != nil {
                try? operations.addHandler(makeHandler(socketEnd, timeouts), position: .before(codec))
            }
        }
        operations.removeHandler(context: context, promise: nil)
    }
}
