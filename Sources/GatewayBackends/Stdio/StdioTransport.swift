// A backend spoken to over a child process's stdin/stdout (newline-delimited JSON-RPC).
// stderr is read line by line into the log; the process lives in its own process group.

import Logging
import MCPProtocol
import NIOCore
import NIOPosix
import Synchronization

public final class StdioTransport: MessageTransport {
    public var kind: String { "stdio" }
    public var sendsRequestsInline: Bool { true }
    let command: [String]
    let environment: [String: String]
    let cwd: String?
    let logger: Logger
    private let state = Mutex<State>(State())

    struct State {
        var process: ChildProcess?
        var channel: (any Channel)?
        var closing = false
    }

    public init(command: [String], environment: [String: String], cwd: String?, logger: Logger) {
        self.command = command
        self.environment = environment
        self.cwd = cwd
        self.logger = logger
    }

    public var pid: Int32? { state.withLock { $0.process?.pid } }

    public func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        let process = try ChildProcess.spawn(command: command, environment: environment, cwd: cwd)
        let logger = self.logger
        let closedOnce = Mutex(false)
        let reportClose: @Sendable (String) -> Void = { reason in
            let first = closedOnce.withLock { done in
                defer { done = true }
                return !done
            }
            if first { receiver(.closed(reason: reason)) }
        }
        do {
            let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NewlineFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(LineCallbackHandler(
                            onLine: { receiver(.message($0, relatedRequest: nil)) },
                            onClose: { reportClose($0) }))
                    }
                }
                .takingOwnershipOfDescriptors(input: process.stdoutFD, output: process.stdinFD)
                .get()
            _ = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NewlineFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(LineCallbackHandler(
                            onLine: { line in logger.info("\(String(decoding: line, as: UTF8.self))", metadata: ["stream": "stderr"]) },
                            onClose: { _ in }))
                    }
                }
                .takingOwnershipOfDescriptor(input: process.stderrFD)
                .get()
            state.withLock {
                $0.process = process
                $0.channel = channel
            }
        } catch {
            process.signalGroup(SIGKILL)
            _ = await process.waitForExit()
            throw .spawnFailed("could not attach to the process pipes: \(error)")
        }
        // Only the program: arguments may carry secrets expanded from ${VAR}.
        logger.info("started", metadata: ["pid": "\(process.pid)", "program": "\(command.first ?? "")",
                                          "arguments": "\(command.count - 1)"])
        Task {
            let status = await process.waitForExit()
            let closing = self.state.withLock { $0.closing }
            if !closing {
                logger.warning("process \(ChildProcess.describe(status: status))", metadata: ["pid": "\(process.pid)"])
            }
            reportClose("process \(ChildProcess.describe(status: status))")
        }
    }

    public func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        guard let channel = state.withLock({ $0.channel }) else { throw .closed("process not running") }
        var buffer = channel.allocator.buffer(capacity: message.count + 1)
        buffer.writeBytes(message)
        buffer.writeInteger(UInt8(0x0A))
        do {
            try await channel.writeAndFlush(buffer)
        } catch {
            throw .closed("write to process failed: \(error)")
        }
    }

    /// Close stdin, then SIGTERM, then SIGKILL: the MCP spec's stdio shutdown sequence.
    public func close() async {
        let (process, channel) = state.withLock { state -> (ChildProcess?, (any Channel)?) in
            state.closing = true
            return (state.process, state.channel)
        }
        guard let process else { return }
        try? await channel?.close(mode: .output)
        let exited = await process.waitForExit(upTo: .milliseconds(500))
        if !exited {
            process.signalGroup(SIGTERM)
            if !(await process.waitForExit(upTo: .seconds(2))) {
                process.signalGroup(SIGKILL)
                _ = await process.waitForExit(upTo: .seconds(2))
            }
        } else {
            // The leader is gone; make sure nothing it started lingers in its group.
            process.signalGroup(SIGTERM)
        }
        try? await channel?.close()
    }
}
