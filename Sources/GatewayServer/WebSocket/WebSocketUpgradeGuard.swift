// Refuses a WebSocket upgrade from a foreign Origin or Host with 403, before hummingbird-
// websocket sees it: a refused `shouldUpgrade` there can only answer 400, and the refusal
// must read the same on every route. It sits right behind the HTTP request decoder of each
// new connection and leaves once the connection's first request has passed (only a first
// request can be an upgrade: the upgrade handler is gone after it).

import HummingbirdCore
import Logging
import MCPProtocol
import NIOCore
import NIOHTTP1

final class WebSocketUpgradeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let policy: OriginPolicy
    private var refused = false

    init(policy: OriginPolicy) {
        self.policy = policy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }  // the rest of a refused request: dropped, the connection is closing
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if head.headers.contains(name: "upgrade"),
           let reason = policy.refusal(origin: head.headers.first(name: "origin"), host: head.headers.first(name: "host")) {
            refused = true
            refuse(reason, version: head.version, context: context)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func refuse(_ reason: String, version: HTTPVersion, context: ChannelHandlerContext) {
        let body = JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: reason)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .forbidden, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        // Told as the client's input closing, the upgrade handler behind closes the connection
        // and hummingbird files it as an upgrade that never happened (not as an error).
        written.futureResult.assumeIsolated().whenComplete { _ in
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            context.close(promise: nil)
        }
    }
}

/// The gateway's HTTP/1 + WebSocket child channel with the upgrade guard placed behind the
/// request decoder of each connection.
struct GuardedUpgradeChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let policy: OriginPolicy

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(WebSocketUpgradeGuard(policy: policy), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
