// One 2024-11-05 HTTP+SSE client: the event stream that carries everything sent to it, and
// the message connection its POSTed messages feed. What the client leaves unread is bounded
// (an OutboundBuffer): past the bound the connection is closed.

import GatewayAuth
import GatewayCore
import MCPProtocol

final class LegacySSESession: Sendable {
    let id: String
    let connection: MessageConnection
    /// Encoded SSE events, in order; ends when the session closes.
    let events: AsyncStream<[UInt8]>
    private let sink: AsyncStream<[UInt8]>.Continuation
    let buffer: OutboundBuffer

    init(id: String, gateway: Gateway, principal: Principal, buffer: OutboundBuffer) {
        let (events, sink) = AsyncStream<[UInt8]>.makeStream()
        self.id = id
        self.events = events
        self.sink = sink
        self.buffer = buffer
        connection = MessageConnection(sessionID: id, principal: principal, gateway: gateway, frontEnd: .sse, maxBatchSize: gateway.config.server.limits.maxBatchSize) { message in
            let event = ServerSentEvent.encodeMessage(message)
            if buffer.admit(event.count) { sink.yield(event) } else { sink.finish() }
        }
    }

    /// The `endpoint` event: where the client POSTs its messages.
    var endpointEvent: [UInt8] {
        ServerSentEvent(event: "endpoint", data: "\(LegacySSEEndpoint.messagesPath)?session_id=\(id)").encoded()
    }

    /// Bytes as they are (a keep-alive comment).
    func sendRaw(_ bytes: [UInt8]) {
        if buffer.admit(bytes.count) { sink.yield(bytes) } else { sink.finish() }
    }

    func close() {
        connection.close()
        sink.finish()
    }
}
