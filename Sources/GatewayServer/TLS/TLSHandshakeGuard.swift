// Watches a TLS connection until its handshake completes, then removes itself.
// - Deadline: a handshake not done within the header timeout closes the connection. The
//   request timeouts above TLS (ConnectionTimeoutHandler) cannot do it: they answer a stalled
//   head with a 408 and close once it is written, and nothing is written before the handshake
//   completes. The deadline runs from the connection's start, as the header timeout does.
// - Failure: a handshake that fails (no client certificate, one from another CA, not TLS at
//   all) is logged at debug level and told upward as the client's input closing, so the HTTP
//   layer files it as a connection that never sent a request rather than logging an error for
//   every refused or probing client.

import Logging
import NIOCore
import NIOSSL
import NIOTLS

final class TLSHandshakeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?

    init(timeout: Duration, logger: Logger) {
        self.timeout = TimeAmount(timeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            timer?.cancel()
            timer = nil
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is NIOSSLError || error is BoringSSLError else {
            context.fireErrorCaught(error)
            return
        }
        logger.debug("TLS handshake failed", metadata: [
            "peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)",
        ])
        refuse(context)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(in: timeout) { [self] in
            timer = nil
            logger.debug("closing a connection: TLS handshake not complete within server.limits.header_timeout",
                         metadata: ["peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
            refuse(context)
        }
    }

    private func refuse(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }
}
