// The gateway as a stdio MCP server (`--stdio`): newline-delimited JSON-RPC on stdin and
// stdout, every request handled concurrently, logs on stderr only. Ends at stdin EOF.

import GatewayBackends
import GatewayCore
import Logging
import MCPProtocol
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

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
        let context = ClientContextBox()
        let listener = gateway.catalog.addListener { _ in
            writer.write(JSONRPCEncoder.notification(method: "notifications/tools/list_changed", params: nil as JSONValue?))
        }
        defer { gateway.catalog.removeListener(listener) }
        let dispatcher = gateway.dispatcher
        let logger = self.logger
        await withDiscardingTaskGroup { group in
            for await line in lines.cancelOnGracefulShutdown() {
                group.addTask {
                    await Self.handle(line, dispatcher: dispatcher, context: context, writer: writer, logger: logger)
                }
            }
        }
        logger.info("stdin closed; shutting down")
    }

    private static func handle(_ line: [UInt8], dispatcher: MCPDispatcher, context: ClientContextBox,
                               writer: StdoutWriter, logger: Logger) async {
        if JSONScanner.isArray(line) {
            guard let ranges = try? JSONScanner.elements(of: line, in: 0..<line.count), !ranges.isEmpty else {
                writer.write(JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: "Invalid Request: empty batch"))
                return
            }
            var replies: [[UInt8]] = []
            for range in ranges {
                if let reply = await handleOne(Array(line[range]), dispatcher: dispatcher, context: context, writer: writer) {
                    replies.append(reply)
                }
            }
            guard !replies.isEmpty else { return }
            var out: [UInt8] = [UInt8(ascii: "[")]
            for (index, reply) in replies.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: reply)
            }
            out.append(UInt8(ascii: "]"))
            writer.write(out)
            return
        }
        if let reply = await handleOne(line, dispatcher: dispatcher, context: context, writer: writer) {
            writer.write(reply)
        }
    }

    private static func handleOne(_ bytes: [UInt8], dispatcher: MCPDispatcher, context: ClientContextBox,
                                  writer: StdoutWriter) async -> [UInt8]? {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(bytes)
        } catch {
            return JSONRPCEncoder.error(id: error.id, code: error.code, message: error.message)
        }
        if message.kind == .request && message.method == "initialize" {
            let params = try? message.paramsValue()
            let result = dispatcher.initializeResult(requestedVersion: params?["protocolVersion"]?.stringValue)
            context.withLock {
                $0.protocolVersion = result["protocolVersion"]?.stringValue ?? ProtocolVersion.latest
                $0.capabilities = params?["capabilities"]
            }
            return JSONRPCEncoder.result(id: message.id, result: result)
        }
        let client = context.withLock { $0 }
        return await dispatcher.handle(message, client: client, notify: { writer.write($0) })
    }
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

/// The stdio client's negotiated state, set by its initialize.
final class ClientContextBox: Sendable {
    private let value = Mutex(ClientContext())
    func withLock<T>(_ body: (inout ClientContext) -> T) -> T { value.withLock { body(&$0) } }
}
