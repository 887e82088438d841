// MCP over WebSocket toward a backend (`ws://`, `wss://`): one JSON-RPC message per text
// frame, subprotocol `mcp`, the configured headers on the upgrade request. The socket's end,
// from either side, reports `.closed` once.

import HummingbirdWSClient
import Logging
import MCPProtocol
import NIOCore
import Synchronization

public final class WebSocketTransport: MessageTransport {
    public var kind: String { "websocket" }
    let url: String
    let headers: [String: String]
    let connectTimeout: Duration
    let logger: Logger
    private let state = Mutex<State>(State())

    /// Tool results can carry images; the default 16 KiB frame limit would cut them off.
    static let maxMessageSize = 64 * 1024 * 1024

    struct State {
        var receiver: TransportReceiver?
        var outbound: WebSocketOutboundWriter?
        var runTask: Task<Void, Never>?
        var closed = false
        /// Set by `close()`: the server's echo of our close frame is not the reason to report.
        var closedByGateway = false
        var reportedClose = false
    }

    public init(url: String, headers: [String: String], connectTimeout: Duration, logger: Logger) {
        self.url = url
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    public func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        state.withLock { $0.receiver = receiver }
        let connected = EndpointSignal()
        let (url, headers, logger) = (self.url, self.headers, self.logger)
        // Detached: the socket belongs to the supervisor, not to the request that started it, whose
        // task-locals would tie it to the HTTP server's graceful shutdown and cut in-flight calls.
        let task = Task.detached { [weak self] in
            let configuration = WebSocketClientConfiguration(
                maxFrameSize: Self.maxMessageSize,
                additionalHeaders: WebSocketUpgradeHeaders.fields(headers),
                // Pings find a dead peer on an idle connection; the close then reaches the supervisor.
                autoPing: .enabled(timePeriod: .seconds(30)))
            let client = WebSocketClient(url: url, configuration: configuration, logger: logger) { [weak self] inbound, outbound, _ in
                self?.connected(outbound)
                connected.succeed()
                for try await message in inbound.messages(maxSize: Self.maxMessageSize) {
                    switch message {
                    case .text(let text):
                        receiver(.message(Array(text.utf8), relatedRequest: nil))
                    case .binary(let buffer):
                        // Not what the MCP WebSocket transport sends, but harmless to accept.
                        receiver(.message(Array(buffer.readableBytesView), relatedRequest: nil))
                    }
                }
            }
            var reason: String
            do {
                reason = Self.describe(try await client.run())
                connected.fail(.closed(reason))
            } catch {
                reason = "\(error)"
                connected.fail(.unreachable("\(url): \(error)"))
            }
            self?.finished(reason)
        }
        state.withLock { $0.runTask = task }
        do {
            try await connected.wait(timeout: connectTimeout)
        } catch {
            task.cancel()
            throw error
        }
    }

    public func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        guard let outbound = state.withLock({ $0.closed ? nil : $0.outbound }) else { throw .closed("websocket closed") }
        do {
            try await outbound.write(.text(String(decoding: message, as: UTF8.self)))
        } catch {
            throw .closed("websocket write failed: \(error)")
        }
    }

    public func close() async {
        let (outbound, task, wasClosed) = state.withLock { state in
            defer {
                state.closed = true
                state.closedByGateway = true
            }
            return (state.outbound, state.runTask, state.closed)
        }
        guard !wasClosed else { return }
        // A polite close frame first (bounded: a peer that stopped reading must not hold up a
        // stop); cancelling then ends the run even if the peer never answers.
        if let outbound {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await outbound.close(.normalClosure, reason: "closed by the gateway") }
                group.addTask { try? await Task.sleep(for: .seconds(2)) }
                await group.next()
                group.cancelAll()
            }
        }
        task?.cancel()
        finished("closed by the gateway")
    }

    private func connected(_ outbound: WebSocketOutboundWriter) {
        state.withLock { $0.outbound = outbound }
    }

    private func finished(_ reason: String) {
        let receiver = state.withLock { state -> TransportReceiver? in
            state.closed = true
            state.outbound = nil
            guard !state.reportedClose else { return nil }
            state.reportedClose = true
            return state.receiver
        }
        let closedByGateway = state.withLock { $0.closedByGateway }
        receiver?(.closed(reason: closedByGateway ? "closed by the gateway" : reason))
    }

    static func describe(_ frame: WebSocketCloseFrame?) -> String {
        guard let frame else { return "websocket closed without a close frame" }
        let detail = frame.reason.map { $0.isEmpty ? "" : ": \($0)" } ?? ""
        return "websocket closed by the server (\(frame.closeCode))\(detail)"
    }
}
