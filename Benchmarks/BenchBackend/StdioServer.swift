// The --stdio front end: newline-delimited JSON-RPC on stdin/stdout, through NIO pipes
// with the gateway's own line framing. Exits when stdin closes.

import GatewayBackends
import NIOCore
import NIOPosix

enum StdioServer {
    static func run(responder: BenchResponder) async throws {
        let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NewlineFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(StdioReplyHandler(responder: responder))
                }
            }
            .takingOwnershipOfDescriptors(input: 0, output: 1)
            .get()
        try await channel.closeFuture.get()
    }

    /// NIO cannot poll regular files: `bench-backend --stdio < requests.jsonl > out` says so plainly.
    static let pipesOnly = "bench-backend --stdio needs pipes (or a terminal) on stdin and stdout, not regular files"

}

/// Writes one reply line per request; flushes once per read burst.
final class StdioReplyHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = ByteBuffer
    let responder: BenchResponder

    init(responder: BenchResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reply = responder.reply(to: unwrapInboundIn(data)).bytes else { return }
        var buffer = context.channel.allocator.buffer(capacity: reply.count + 1)
        buffer.writeBytes(reply)
        buffer.writeInteger(UInt8(ascii: "\n"))
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent {
            // Writes complete in order: once this empty one is done, every reply is out.
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                bound.value.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
