// The gateway as a stdio MCP server (`--stdio`): newline-delimited JSON-RPC on stdin and
// stdout, every request handled concurrently, logs on stderr only. Ends at stdin EOF. Its one
// client is whoever started the process: every request carries `auth.stdio_principal`.

import GatewayAuth
import GatewayBackends
import GatewayCore
import Logging
import MCPProtocol
import NIOCore
import NIOPosix
import ServiceLifecycle

public struct StdioFrontEnd: Service {
    let gateway: Gateway
    let principal: Principal
    let logger: Logger

    public init(gateway: Gateway, principal: Principal, logger: Logger) {
        self.gateway = gateway
        self.principal = principal
        self.logger = logger
    }

    public func run() async throws {
        let (lines, lineSink) = AsyncStream<[UInt8]>.makeStream()
        let writer = try await Self.stdout()
        if StdioDescriptors.isPollable(0) {
            _ = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NewlineFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(LineCallbackHandler(
                            onLine: { lineSink.yield($0) },
                            onClose: { _ in lineSink.finish() }))
                    }
                }
                .takingOwnershipOfDescriptor(input: 0)
                .get()
        } else {
            BlockingLineReader.start(fd: 0, onLine: { lineSink.yield($0) }, onEnd: { lineSink.finish() })
        }
        let write: @Sendable ([UInt8]) -> Void = { writer.write($0) }
        let connection = MessageConnection(sessionID: Self.subscriberID, principal: principal, gateway: gateway, frontEnd: .stdio,
                                           maxBatchSize: gateway.config.server.limits.maxBatchSize, write: write)
        let notifications = ConnectionNotifications(gateway: gateway, connection: connection)
        logger.info("stdio client is principal '\(principal.name)' (auth.stdio_principal)")
        await withDiscardingTaskGroup { group in
            for await line in lines.cancelOnGracefulShutdown() {
                group.addTask { await connection.handle(line) }
            }
        }
        connection.close()
        await notifications.cancel()
        logger.info("stdin closed; shutting down")
    }

    /// stdout as a NIO pipe channel when the event loop can poll it, else blocking writes.
    private static func stdout() async throws -> StdoutWriter {
        guard StdioDescriptors.isPollable(1) else { return StdoutWriter(blocking: BlockingLineWriter(fd: 1)) }
        let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .takingOwnershipOfDescriptor(output: 1)
            .get()
        return StdoutWriter(channel: channel)
    }

    /// The one client of a stdio gateway, for resource subscriptions.
    static let subscriberID = "stdio"
}

/// Serialises writes to stdout: one JSON message per line, never interleaved. A backend's
/// answer is relayed as bytes, so a pretty-printed one is made one line here (it printed a
/// complete forged response for another request id when written as it came).
final class StdoutWriter: Sendable {
    let channel: (any Channel)?
    let blocking: BlockingLineWriter?

    init(channel: any Channel) {
        self.channel = channel
        blocking = nil
    }

    init(blocking: BlockingLineWriter) {
        channel = nil
        self.blocking = blocking
    }

    func write(_ message: [UInt8]) {
        var line = JSONSingleLine.make(message)
        guard let channel else {
            line.append(0x0A)
            blocking?.enqueue(line)
            return
        }
        var buffer = channel.allocator.buffer(capacity: line.count + 1)
        buffer.writeBytes(line)
        buffer.writeInteger(UInt8(0x0A))
        channel.writeAndFlush(buffer, promise: nil)
    }
}
