// Wraps the HTTP server's child channel setup so that every connection gets the request
// timeouts (ConnectionTimeoutHandler at the socket end, RequestBoundaryWatch above the HTTP
// decoder) before its first byte is read: Hummingbird's own `additionalChannelHandlers` are
// added only after the first request head (the WebSocket upgrade handler waits for it), too
// late for a client that never completes one.

import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

struct TimedChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let headerTimeout: Duration
    let idleTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Child channels are set up on their own event loop, so the pipeline is ours to edit now.
        let configured = base.setup(channel: channel, logger: logger)
        do {
            let pipeline = channel.pipeline.syncOperations
            let timeouts = ConnectionTimeoutHandler(headerTimeout: headerTimeout, idleTimeout: idleTimeout, logger: logger)
            try pipeline.addHandler(timeouts, position: .first)
            // Right above the decoder (which passes responses through to the encoder below it).
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestBoundaryWatch(timeouts: timeouts), position: .after(decoder))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return configured
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
