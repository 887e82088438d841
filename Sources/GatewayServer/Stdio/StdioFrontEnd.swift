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
        let connection = StdioConnection(writer: StdoutWriter(channel: channel), dispatcher: gateway.dispatcher)
        let catalogListener = gateway.catalog.addListener { _ in
            connection.writer.write(JSONRPCEncoder.notification(method: "notifications/tools/list_changed", params: nil as JSONValue?))
        }
        let logListener = gateway.backendNotifications.subscribe { server, method, params in
            guard let message = BackendNotificationHub.clientMessage(server: server, method: method, params: params) else { return }
            connection.writer.write(message)
        }
        gateway.resourceSubscriptions.register(subscriber: StdioConnection.subscriberID) { connection.writer.write($0) }
        defer {
            gateway.catalog.removeListener(catalogListener)
            gateway.backendNotifications.unsubscribe(logListener)
        }
        await withDiscardingTaskGroup { group in
            for await line in lines.cancelOnGracefulShutdown() {
                group.addTask { await connection.handle(line) }
            }
        }
        connection.broker.cancelAll()
        await gateway.resourceSubscriptions.unregister(subscriber: StdioConnection.subscriberID)
        logger.info("stdin closed; shutting down")
    }
}

/// One stdio client: its negotiated context, its requests in flight, and requests the
/// gateway relays to it.
final class StdioConnection: Sendable {
    let writer: StdoutWriter
    let dispatcher: MCPDispatcher
    let broker = ClientRequestBroker()
    let inflight = InFlightRequests()
    enum Era { case legacy, modern }
    private let fixedEra = Mutex<Era?>(nil)

    /// The first request fixes the era for the life of the process, as the spec says:
    /// `initialize` means a session era; an enveloped request or `server/discover` the stateless one.
    func era(for message: JSONRPCMessage) -> Era {
        fixedEra.withLock { era in
            if let era { return era }
            let enveloped = (try? message.paramsValue())?["_meta"]?[ModernEra.MetaKey.protocolVersion] != nil
            let chosen: Era = message.method != "initialize" && (enveloped || message.method == "server/discover") ? .modern : .legacy
            era = chosen
            return chosen
        }
    }

    /// A 2026-07-28 request over stdio: envelope checked, no headers; `initialize` refused.
    private func handleModern(_ message: JSONRPCMessage) async -> [UInt8]? {
        if message.method == "initialize" {
            return JSONRPCEncoder.error(id: message.id, code: ModernEra.ErrorCode.unsupportedProtocolVersion,
                                        message: "This connection speaks 2026-07-28 (fixed by its first request)",
                                        data: ["supported": [.string(ModernEra.version)]])
        }
        let envelope: ModernEra.Envelope
        switch ModernEra.envelope(of: message) {
        case .success(let e): envelope = e
        case .failure(.missing(let what)):
            return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "Missing \(what)")
        }
        guard envelope.protocolVersion == ModernEra.version else {
            return ModernEra.unsupportedVersion(id: message.id, requested: envelope.protocolVersion)
        }
        guard let id = message.id else { return nil }
        let writer = self.writer
        let channel = ModernClientChannel(envelope: envelope, sink: { writer.write($0) })
        let dispatcher = self.dispatcher
        let task = Task { () -> [UInt8]? in await dispatcher.handleModern(message, channel: channel) }
        inflight.register(id, cancel: { task.cancel() })
        let reply = await task.value
        inflight.finished(id)
        return task.isCancelled ? nil : reply
    }

    /// The one client of a stdio gateway, for resource subscriptions.
    static let subscriberID = "stdio"
    private let context = Mutex(ClientContext(sessionID: StdioConnection.subscriberID))

    init(writer: StdoutWriter, dispatcher: MCPDispatcher) {
        self.writer = writer
        self.dispatcher = dispatcher
    }

    var channel: StdioClientChannel {
        StdioClientChannel(context: context.withLock { $0 }, writer: writer, broker: broker)
    }

    func handle(_ line: [UInt8]) async {
        if JSONScanner.isArray(line) {
            guard let ranges = try? JSONScanner.elements(of: line, in: 0..<line.count), !ranges.isEmpty else {
                writer.write(JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: "Invalid Request: empty batch"))
                return
            }
            var replies: [[UInt8]] = []
            for range in ranges {
                if let reply = await handleOne(Array(line[range])) { replies.append(reply) }
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
        if let reply = await handleOne(line) { writer.write(reply) }
    }

    private func handleOne(_ bytes: [UInt8]) async -> [UInt8]? {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(bytes)
        } catch {
            return JSONRPCEncoder.error(id: error.id, code: error.code, message: error.message)
        }
        switch message.kind {
        case .response, .errorResponse:
            broker.resolve(message)
            return nil
        case .notification:
            if message.method == "notifications/cancelled" { inflight.cancel(params: try? message.paramsValue()) }
            return nil
        case .request:
            break
        }
        switch era(for: message) {
        case .modern:
            return await handleModern(message)
        case .legacy:
            break
        }
        if message.method == "initialize" {
            let params = try? message.paramsValue()
            let result = dispatcher.initializeResult(requestedVersion: params?["protocolVersion"]?.stringValue)
            context.withLock {
                $0.sessionID = Self.subscriberID
                $0.protocolVersion = result["protocolVersion"]?.stringValue ?? ProtocolVersion.latest
                $0.capabilities = params?["capabilities"]
            }
            return JSONRPCEncoder.result(id: message.id, result: result)
        }
        guard let id = message.id else { return nil }
        let channel = self.channel
        let dispatcher = self.dispatcher
        let task = Task { () -> [UInt8]? in await dispatcher.handle(message, channel: channel) }
        inflight.register(id, cancel: { task.cancel() })
        let reply = await task.value
        inflight.finished(id)
        // A cancelled request gets no response, as the spec says.
        return task.isCancelled ? nil : reply
    }
}

struct StdioClientChannel: ClientChannel {
    let context: ClientContext
    let writer: StdoutWriter
    let broker: ClientRequestBroker

    func notify(_ message: [UInt8]) { writer.write(message) }

    func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        await broker.request(method: method, params: params, write: { writer.write($0) })
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
