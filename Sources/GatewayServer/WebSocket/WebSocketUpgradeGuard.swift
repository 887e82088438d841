// Refuses a WebSocket upgrade from a foreign Origin or Host with 403, and one the gate does
// not admit with its 401/403 and `WWW-Authenticate`, before hummingbird-websocket sees it: a
// refused `shouldUpgrade` there can only answer 400, and the refusal must read the same on
// every route. It sits right behind the HTTP request decoder of each new connection and
// leaves once the connection's first request has passed (only a first request can be an
// upgrade: the upgrade handler is gone after it). A token that needs verifying holds the
// request's parts here until the verdict.

import GatewayAuth
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
    private let gate: RequestGate
    private var refused = false
    /// Parts read while a token is verified, passed on (or dropped) with the verdict.
    private var held: [NIOAny]?
    private var removed = false

    init(policy: OriginPolicy, gate: RequestGate) {
        self.policy = policy
        self.gate = gate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }  // the rest of a refused request: dropped, the connection is closing
        if held != nil {
            held?.append(data)
            return
        }
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        guard head.headers.contains(name: "upgrade") else {
            pass(data, context: context)  // a plain request: the routed path's gate decides
            return
        }
        if let reason = policy.refusal(origin: head.headers.first(name: "origin"), host: head.headers.first(name: "host")) {
            refused = true
            refuse(JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: reason), status: .forbidden,
                   version: head.version, context: context)
            return
        }
        if let decision = gate.decisionNow(head, context: context) {
            settle(decision, head: head, passing: [data], context: context)
            return
        }
        held = [data]
        let peer = gate.peersHaveCertificates ? ConnectionPeer.principal(in: context) : nil
        let (gate, loop) = (self.gate, context.eventLoop)
        let here = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        Task {
            let decision = await gate.decision(head, peer: peer)
            loop.execute {
                let (handler, context) = here.value
                guard !handler.removed else { return }  // the connection closed meanwhile
                let parts = handler.held ?? []
                handler.held = nil
                handler.settle(decision, head: head, passing: parts, context: context)
            }
        }
    }

    private func settle(_ decision: AuthDecision, head: HTTPRequestHead, passing parts: [NIOAny], context: ChannelHandlerContext) {
        switch decision {
        case .allowed:
            for part in parts { context.fireChannelRead(part) }
            context.fireChannelReadComplete()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .denied(let challenge):
            refused = true
            refuse(RequestGate.refusalBody(challenge), status: HTTPResponseStatus(statusCode: challenge.status),
                   version: head.version, context: context, wwwAuthenticate: challenge.wwwAuthenticate)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
    }

    private func pass(_ data: NIOAny, context: ChannelHandlerContext) {
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func refuse(_ body: [UInt8], status: HTTPResponseStatus, version: HTTPVersion, context: ChannelHandlerContext,
                        wwwAuthenticate: String? = nil) {
        var headers = HTTPHeaders()
        if let wwwAuthenticate { headers.add(name: "www-authenticate", value: wwwAuthenticate) }
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
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
    let gate: RequestGate

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(WebSocketUpgradeGuard(policy: policy, gate: gate), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
