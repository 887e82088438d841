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
    /// Where the process's stderr lines are kept besides the log (the backend's, across restarts).
    let stderrTail: StderrTail
    private let state = Mutex<State>(State())

    struct State {
        var process: ChildProcess?
        var channel: (any Channel)?
        var closing = false
        /// A write missed its deadline and the pipe was still full: the process stopped reading.
        var stalled = false
    }

    public init(command: [String], environment: [String: String], cwd: String?, logger: Logger,
                stderrTail: StderrTail = StderrTail()) {
        self.stderrTail = stderrTail
        self.command = command
        self.environment = environment
        self.cwd = cwd
        self.logger = logger
    }

    public var pid: Int32? { state.withLock { $0.process?.pid } }

    public func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        let process = try ChildProcess.spawn(command: command, environment: environment, cwd: cwd)
        let logger = self.logger
        let tail = stderrTail
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
                            onLine: { line in
                                tail.append(line)
                                logger.info("\(String(decoding: line, as: UTF8.self))", metadata: ["stream": "stderr"])
                            },
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
        try await write(message, deadline: nil)
    }

    /// A request's write is bounded by the request's deadline: a backend that stops reading its
    /// stdin otherwise held the call until the client gave up (`timeout: 5s` ran to 60 s).
    public func sendRequest(_ message: [UInt8], id: Int, deadline: ContinuousClock.Instant,
                            onStreamFailure: @escaping @Sendable (BackendError) -> Void) async throws(BackendError) -> Task<Void, Never>? {
        try await write(message, deadline: deadline)
        return nil
    }

    /// Writes one message as one line (`JSONSingleLine`: a raw line break inside would frame a
    /// second message). While the pipe drains (the channel is writable) the write is queued and
    /// not waited for: NIO keeps the order, a failed write closes the channel, and the request's
    /// own deadline covers an answer that never comes; a promise, a timer and a continuation per
    /// write cost ~4k instructions a call (callgrind). When the pipe is full the write waits at
    /// most until the deadline; one that misses it stays queued whole, so the framing survives,
    /// and while the pipe stays full further writes fail at once instead of piling up.
    private func write(_ message: [UInt8], deadline: ContinuousClock.Instant?) async throws(BackendError) {
        guard let channel = state.withLock({ $0.channel }) else { throw .closed("process not running") }
        let line = JSONSingleLine.make(message)
        var buffer = channel.allocator.buffer(capacity: line.count + 1)
        buffer.writeBytes(line)
        buffer.writeInteger(UInt8(0x0A))
        if channel.isWritable {
            state.withLock { $0.stalled = false }
            channel.writeAndFlush(buffer, promise: nil)
            return
        }
        if state.withLock({ $0.stalled }) { throw .unreachable("the process is not reading its stdin") }
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(buffer, promise: written)
        switch await WriteDeadline.wait(for: written.futureResult, until: deadline, on: channel.eventLoop) {
        case .written:
            state.withLock { $0.stalled = false }
        case .failed(let error):
            throw .closed("write to process failed: \(error)")
        case .timedOut:
            state.withLock { $0.stalled = true }
            logger.warning("the process is not reading its stdin: a write missed its deadline")
            throw .unreachable("the process is not reading its stdin")
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
