// Closes connections that hold a socket without using it (server.limits.header_timeout and
// idle_timeout). It sits at the socket end of every HTTP connection, below NIO's HTTP decoder
// and so below both Hummingbird's router and the lean POST path (PlainPostHandler): no request
// can skip it. It sees raw bytes; RequestBoundaryWatch (above the decoder) tells it when a
// request head is complete and when a response has ended, and PlainPostHandler tells it when
// it answered a request itself.
//
// - Header phase (from connect, or from the first byte of a later request, until the head is
//   complete): at `headerTimeout` the client gets 408 and the connection closes.
// - Body (a head is complete, the request's end has not come): the body must keep arriving,
//   `bodyProgress` bytes per `headerTimeout` at least, or the connection closes (a slow-loris
//   body: a complete head, then a byte now and then, held a connection for good).
// - Idle (no request in flight, no bytes of a new one): closed after `idleTimeout`.
// - A request in flight (a call running, an SSE stream open) or an upgraded WebSocket: never
//   cut here; streams have their own keep-alives and the WebSocket its own close handshake.
//
// One scheduled task per connection is reused: a later deadline only moves `deadline`, and the
// timer re-arms itself when it fires early, so back-to-back requests schedule nothing.

import Logging
import NIOCore

final class ConnectionTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let logger: Logger

    private enum Phase {
        /// Waiting for (the rest of) a request head.
        case head
        /// No request in flight and no bytes of a new one.
        case idle
        /// Requests in flight (heads complete, responses not ended).
        case busy(Int)
        /// A WebSocket: no HTTP timeouts any more.
        case upgraded
    }

    private var phase = Phase.head
    /// A request's body is still arriving (head read, end not yet), and its bytes since the
    /// body deadline was last set.
    private var bodyUnread = false
    private var bodyBytes = 0
    /// Bytes of body that move the body deadline on by `headerTimeout`.
    static let bodyProgress = 64 * 1024
    private var deadline: NIODeadline?
    /// When the scheduled timer fires (nil: none scheduled).
    private var scheduledFor: NIODeadline?
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(headerTimeout: Duration, idleTimeout: Duration, logger: Logger) {
        self.headerTimeout = TimeAmount(headerTimeout)
        self.idleTimeout = TimeAmount(idleTimeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { arm(after: headerTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(after: headerTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        deadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .idle = phase {
            // The first bytes of the next request: its head must be complete in time.
            phase = .head
            arm(after: headerTimeout)
        } else if bodyUnread {
            bodyBytes += unwrapInboundIn(data).readableBytes
            if bodyBytes >= Self.bodyProgress {
                bodyBytes = 0
                arm(after: headerTimeout)
            }
        }
        context.fireChannelRead(data)
    }

    // MARK: Signals from above

    /// A request head was decoded: the request is in flight until its response ends, and its
    /// body must arrive in time.
    func headReceived() {
        switch phase {
        case .head, .idle:
            phase = .busy(1)
            deadline = nil
        case .busy(let count):
            phase = .busy(count + 1)
        case .upgraded:
            return
        }
        bodyUnread = true
        bodyBytes = 0
        arm(after: headerTimeout)
    }

    /// The request's end was decoded: its body is complete.
    func requestEnded() {
        guard bodyUnread else { return }
        bodyUnread = false
        if case .busy = phase { deadline = nil }
    }

    /// A response ended: with nothing else in flight, the connection is idle.
    func responseEnded() {
        guard case .busy(let count) = phase else { return }
        if count > 1 {
            phase = .busy(count - 1)
        } else {
            phase = .idle
            bodyUnread = false
            arm(after: idleTimeout)
        }
    }

    /// The connection became a WebSocket.
    func upgraded() {
        phase = .upgraded
        bodyUnread = false
        deadline = nil
    }

    // MARK: Timer

    private func arm(after amount: TimeAmount) {
        guard let context else { return }
        let due = context.eventLoop.now + amount
        deadline = due
        if let scheduledFor, scheduledFor <= due { return }  // fires first, then re-arms
        timer?.cancel()
        schedule(at: due, on: context.eventLoop)
    }

    private func schedule(at due: NIODeadline, on eventLoop: any EventLoop) {
        scheduledFor = due
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in fire() }
    }

    private func fire() {
        timer = nil
        scheduledFor = nil
        guard let context, let deadline else { return }
        if deadline > context.eventLoop.now {
            schedule(at: deadline, on: context.eventLoop)
            return
        }
        self.deadline = nil
        switch phase {
        case .head:
            logger.debug("closing a connection: request head not complete within server.limits.header_timeout",
                         metadata: ["peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
            var reply = context.channel.allocator.buffer(capacity: Self.requestTimeout.utf8.count)
            reply.writeString(Self.requestTimeout)
            context.writeAndFlush(NIOAny(IOData.byteBuffer(reply))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .idle:
            context.close(promise: nil)
        case .busy where bodyUnread:
            logger.debug("closing a connection: request body not arriving (server.limits.header_timeout)",
                         metadata: ["peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
        case .busy, .upgraded:
            break
        }
    }

    /// What a client too slow with its request head gets before the connection closes.
    static let requestTimeout: String = {
        let body = "request head not complete in time (server.limits.header_timeout)\n"
        return "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }()
}
