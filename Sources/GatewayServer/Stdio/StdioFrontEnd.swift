// The gateway as a stdio MCP server (`--stdio`): newline-delimited JSON-RPC on stdin and
// stdout, every request handled concurrently, logs on stderr only. Ends at stdin EOF.

import GatewayBackends
import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

public struct StdioFrontEnd: Service {
    let gateway: Gateway
    let logger: Logger

    public init(gateway: Gateway, logger: Logger) {
        self.gateway = gateway
        self.logger = logger
    }

    public func run() async throws {
        let (lines, lineSink) = AsyncStream<[UInt8]>.makeStream()
        let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NewlineFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(LineCallbackHandler(
                        onLine: { lineSink.yield($0) },
                        onClose: { _ in lineSink.finish() }))
                }
            }
            .takingOwnershipOfDescriptors(input: 0, output: 1)
            .get()
        let writer = StdoutWriter(channel: channel)
        let write: @Sendable ([UInt8]) -> Void = { writer.write($0) }
        let connection = MessageConnection(sessionID: Self.subscriberID, gateway: gateway,
                                           maxBatchSize: gateway.config.server.limits.maxBatchSize, write: write)
        let notifications = ConnectionNotifications(gateway: gateway, connection: connection)
        await withDiscardingTaskGroup { group in
            for await line in lines.cancelOnGracefulShutdown() {
                group.addTask { await connection.handle(line) }
            }
        }
        connection.close()
        await notifications.cancel()
        logger.info("stdin closed; shutting down")
    }

    /// The one client of a stdio gateway, for resource subscriptions.
    static let subscriberID = "stdio"
}

/// Serialises writes to stdout: one JSON message per line, never interleaved.
final class StdoutWriter: Sendable {
    let channel: any Channel

    init(channel: any Channel) { self.channel = channel }

    func write(_ message: [UInt8]) {
        var buffer = channel.allocator.buffer(capacity: message.count + 1)
        buffer.writeBytes(message)
        buffer.writeInteger(UInt8(0x0A))
        channel.writeAndFlush(buffer, promise: nil)
    }
}
