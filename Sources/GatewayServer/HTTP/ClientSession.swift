// One Streamable HTTP client session: what initialize negotiated, and the open GET
// streams that carry the gateway's own notifications to this client.

import Foundation
import GatewayCore
import MCPProtocol
import Synchronization

final class ClientSession: Sendable {
    let id: String
    let context: ClientContext
    /// Requests relayed to this client, waiting for its answers.
    let broker = ClientRequestBroker()
    /// This client's requests in progress, for `notifications/cancelled`.
    let inflight = InFlightRequests()
    private let state = Mutex<State>(State())

    struct State {
        var streams: [UInt64: AsyncStream<[UInt8]>.Continuation] = [:]
        var nextStream: UInt64 = 1
        var lastActive = ContinuousClock.now
        var closed = false
    }

    init(id: String, context: ClientContext) {
        self.id = id
        self.context = context
    }

    static func mintID() -> String {
        UUID().uuidString.lowercased()
    }

    func touch() { state.withLock { $0.lastActive = .now } }

    var idleFor: Duration { ContinuousClock.now - state.withLock { $0.lastActive } }

    /// Opens a notification stream; the returned stream ends when the session closes.
    func openStream() -> (id: UInt64, stream: AsyncStream<[UInt8]>) {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = state.withLock { state -> UInt64? in
            guard !state.closed else { return nil }
            let id = state.nextStream
            state.nextStream += 1
            state.streams[id] = continuation
            return id
        }
        if id == nil { continuation.finish() }
        return (id ?? 0, stream)
    }

    func closeStream(_ id: UInt64) {
        state.withLock { $0.streams.removeValue(forKey: id) }?.finish()
    }

    var hasStream: Bool { state.withLock { !$0.streams.isEmpty } }

    /// Sends a JSON-RPC message on one open stream (the spec: never the same message on two).
    @discardableResult
    func send(_ message: [UInt8]) -> Bool {
        guard let stream = state.withLock({ $0.streams.max(by: { $0.key < $1.key })?.value }) else { return false }
        stream.yield(SSEFormat.message(message))
        return true
    }

    /// Writes raw bytes (a keep-alive comment) on one specific stream.
    func sendRaw(_ bytes: [UInt8], on streamID: UInt64) {
        state.withLock { $0.streams[streamID] }?.yield(bytes)
    }

    func close() {
        broker.cancelAll()
        inflight.cancelAll()
        let streams = state.withLock { state -> [AsyncStream<[UInt8]>.Continuation] in
            state.closed = true
            defer { state.streams.removeAll() }
            return Array(state.streams.values)
        }
        streams.forEach { $0.finish() }
    }
}

enum SSEFormat {
    static func message(_ json: [UInt8]) -> [UInt8] { ServerSentEvent.encodeMessage(json) }
}
