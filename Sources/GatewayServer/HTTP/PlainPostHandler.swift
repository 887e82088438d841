// The fast path for the gateway's most frequent request: a POST /mcp that needs only a plain
// JSON reply (a search, an invoke without progress), in the session eras and in 2026-07-28.
// It sits below Hummingbird's HTTPTypes codec, collects such a POST, runs it on a task of its
// own (on the connection's event loop: see `answer`) and writes the reply itself, sparing each
// call the HTTPTypes conversion, the async channel streams, the router and the response writer
// (BENCHMARKS.md). Every other request, and any POST that fails a check (it gets its proper
// error there), goes up to Hummingbird untouched. Hummingbird answers requests in order; so
// does this handler: while a POST of its own is in flight, later requests wait here, and it
// takes a POST only when Hummingbird has answered everything before it.

import GatewayCore
import MCPProtocol
import GatewayBackends
import NIOCore
import NIOHTTP1

final class PlainPostHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// A POST /mcp being read, not yet passed on.
        case collecting(HTTPRequestHead, ByteBuffer)
        /// The current request belongs to Hummingbird.
        case passing
        /// A POST of this handler's is being answered.
        case answering
    }

    private let endpoint: StreamableHTTPEndpoint
    /// Admits a POST here only when no I/O is needed to know its caller; any other goes up.
    private let gate: RequestGate
    private let dates: HTTPDateHeader
    private var state = State.idle
    /// Requests passed to Hummingbird whose responses have not ended yet.
    private var unansweredUpstream = 0
    /// Parts read while answering, replayed after the answer.
    private var held: [HTTPServerRequestPart] = []
    /// A parse error of a later request, read while answering: Hummingbird answers it with a
    /// 400 and closes, which must come after this handler's answer, not before.
    private var heldError: (any Error)?
    private var readHeld = false
    /// Parts passed up since the last read-complete: Hummingbird delivers reads on it.
    private var passedSinceReadComplete = false
    /// Set once the channel is torn down; a late answer is then dropped.
    private var removed = false
    /// A graceful-shutdown notice held back while a POST of this handler's is read or
    /// answered: Hummingbird's connection-state handler above would see an idle connection
    /// and close it under that POST.
    private var heldQuiesce: Any?
    /// The running 2026-07-28 call, cancelled if the client closes the connection.
    private var cancelOnClose: Task<Void, Never>?

    private let socketEnd: SocketWriteHandler
    /// The connection's request timeouts, told when an answer of this handler's is out (the
    /// answer bypasses the handlers that see Hummingbird's responses end).
    private let timeouts: ConnectionTimeoutHandler?
    /// Runs this connection's calls on its event loop (made on first use).
    private var executor: EventLoopTaskExecutor?

    init(endpoint: StreamableHTTPEndpoint, gate: RequestGate, dates: HTTPDateHeader, socketEnd: SocketWriteHandler,
         timeouts: ConnectionTimeoutHandler? = nil) {
        self.endpoint = endpoint
        self.gate = gate
        self.dates = dates
        self.socketEnd = socketEnd
        self.timeouts = timeouts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        process(unwrapInboundIn(data), context: context)
    }

    private func process(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.answering, _):
            held.append(part)
        case (.idle, .head(let head)):
            if unansweredUpstream == 0, Self.isCandidate(head) {
                state = .collecting(head, context.channel.allocator.buffer(capacity: 0))
            } else {
                pass(part, context: context)
                unansweredUpstream += 1
                state = .passing
            }
        case (.collecting(let head, var body), .body(var chunk)):
            state = .idle  // drops the state's reference, so the append does not copy
            if body.readableBytes + chunk.readableBytes > endpoint.maxBodySize {
                give(head, body, context: context)
                pass(.body(chunk), context: context)
            } else {
                body.writeBuffer(&chunk)
                state = .collecting(head, body)
            }
        case (.collecting(let head, let body), .end):
            state = .idle
            // The gate first: a caller it cannot admit right now (a refusal, a token to verify)
            // goes up with its request, to the routed path's gate.
            let headers = PostHeaders(head.headers)
            if let principal = gate.admitNow(head, context: context),
               let work = endpoint.plainWork(headers, body: Array(body.readableBytesView), principal: principal) {
                answer(work, trace: endpoint.gateway.tracer == nil ? nil : headers.traceContext, head: head, context: context)
            } else {
                give(head, body, context: context)
                pass(.end(nil), context: context)
                state = .idle
            }
        case (.passing, .end):
            pass(part, context: context)
            state = .idle
        case (.passing, _), (.idle, _), (.collecting, .head):
            // A stray part (an HTTP error Hummingbird reports): Hummingbird's to handle.
            pass(part, context: context)
        }
    }

    private static func isCandidate(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .POST, !head.headers.contains(name: "expect") else { return false }
        let uri = head.uri.utf8
        guard uri.starts(with: "/mcp".utf8) else { return false }
        return uri.count == 4 || uri.dropFirst(4).first == UInt8(ascii: "?")
    }

    /// Hands a collected POST to Hummingbird after all: its head and the body so far.
    private func give(_ head: HTTPRequestHead, _ body: ByteBuffer, context: ChannelHandlerContext) {
        pass(.head(head), context: context)
        if body.readableBytes > 0 { pass(.body(body), context: context) }
        unansweredUpstream += 1
        state = .passing
        // Hummingbird now knows of a request in progress and closes after answering it.
        releaseQuiesce(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            switch state {
            case .collecting, .answering:
                heldQuiesce = event
                return
            case .idle, .passing:
                break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func releaseQuiesce(context: ChannelHandlerContext) {
        guard let event = heldQuiesce else { return }
        heldQuiesce = nil
        context.fireUserInboundEventTriggered(event)
    }

    private func pass(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        passedSinceReadComplete = true
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// `trace`: the client's W3C headers, read only when tracing is on.
    private func answer(_ work: StreamableHTTPEndpoint.PlainWork, trace: TraceContextFields?, head: HTTPRequestHead,
                        context: ChannelHandlerContext) {
        state = .answering
        let endpoint = self.endpoint
        let eventLoop = context.eventLoop
        let here = NIOLoopBound((handler: self, context: context), eventLoop: eventLoop)
        let executor = self.executor ?? EventLoopTaskExecutor(eventLoop)
        self.executor = executor
        // The call runs on this connection's event loop: so does a relay to an `http://`
        // backend (the lean client prefers connections of the caller's loop), and the answer
        // is written without waking another thread.
        let task = Task(executorPreference: executor) {
            let reply: [UInt8]?
            if trace == nil {
                reply = await endpoint.run(work)
            } else {
                reply = await endpoint.run(work, within: trace)
            }
            let write: @Sendable () -> Void = { here.value.handler.answered(reply, for: head, context: here.value.context) }
            if eventLoop.inEventLoop { write() } else { eventLoop.execute(write) }
        }
        if work.cancelledByClosing { cancelOnClose = task }
    }

    private func answered(_ reply: [UInt8]?, for head: HTTPRequestHead, context: ChannelHandlerContext) {
        cancelOnClose = nil
        guard !removed else { return }
        state = .idle
        guard heldQuiesce != nil || !head.isKeepAlive else {
            write(reply, for: head, context: context, promise: nil)
            replayHeld(context: context)
            return
        }
        // Shutting down or closing: no more requests on this connection once the answer is out.
        let written = context.eventLoop.makePromise(of: Void.self)
        write(reply, for: head, context: context, promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            if head.isKeepAlive {
                self.releaseQuiesce(context: context)
            } else {
                context.channel.close(promise: nil)
            }
        }
    }

    /// Writes the whole answer as one buffer at the socket end of the pipeline.
    private func write(_ reply: [UInt8]?, for request: HTTPRequestHead, context: ChannelHandlerContext,
                       promise: EventLoopPromise<Void>?) {
        let keepAlive = request.isKeepAlive
        let date = dates.value
        var buffer = context.channel.allocator.buffer(capacity: 160 + (reply?.count ?? 0))
        buffer.writeStaticString(request.version.minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        if let reply {
            buffer.writeStaticString("200 OK\r\nContent-Type: application/json\r\nContent-Length: ")
            buffer.writeString(String(reply.count))
        } else {
            buffer.writeStaticString("202 Accepted\r\nContent-Length: 0")
        }
        buffer.writeStaticString("\r\nDate: ")
        buffer.writeString(date)
        buffer.writeStaticString("\r\nServer: ")
        buffer.writeString(HTTPFrontEnd.serverName)
        buffer.writeStaticString("\r\n")
        if let reply, let seconds = LimitRetryAfter.seconds(in: reply) {
            buffer.writeStaticString("Retry-After: ")
            buffer.writeString(String(seconds))
            buffer.writeStaticString("\r\n")
        }
        if !keepAlive {
            buffer.writeStaticString("Connection: close\r\n")
        } else if request.version.minor == 0 {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        if let reply { buffer.writeBytes(reply) }
        timeouts?.responseEnded()
        guard let socket = socketEnd.context else {
            promise?.succeed()
            return
        }
        socket.writeAndFlush(NIOAny(IOData.byteBuffer(buffer)), promise: promise)
    }

    /// Requests that arrived during an answer, in order, until one is answered here again.
    private func replayHeld(context: ChannelHandlerContext) {
        while !held.isEmpty {
            if case .answering = state { break }
            process(held.removeFirst(), context: context)
        }
        if passedSinceReadComplete {
            passedSinceReadComplete = false
            context.fireChannelReadComplete()
        }
        if case .answering = state { return }
        if let error = heldError, held.isEmpty {
            heldError = nil
            context.fireErrorCaught(error)
            return
        }
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .answering:
            if heldError == nil { heldError = error }
        case .collecting(let head, let body):
            // The POST being read is broken: it is Hummingbird's to answer after all.
            give(head, body, context: context)
            context.fireErrorCaught(error)
        case .idle, .passing:
            context.fireErrorCaught(error)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        passedSinceReadComplete = false
        context.fireChannelReadComplete()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelOnClose?.cancel()
        cancelOnClose = nil
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        // While a call is answered, one read stays pending, so that the socket keeps its read
        // interest: holding it from the start cost two epoll_ctl calls per call (interest off
        // after the request, on again after the answer), a third of the relay's syscalls. A
        // client that sends nothing meanwhile costs nothing; reads are held once a pipelined
        // part is buffered, which bounds what one connection can queue here.
        if case .answering = state, !held.isEmpty || heldError != nil {
            readHeld = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unansweredUpstream = max(0, unansweredUpstream - 1) }
        context.write(data, promise: promise)
    }
}
