// One 2024-11-05 HTTP+SSE client: the event stream that carries everything sent to it, and
// the message connection its POSTed messages feed.

import GatewayCore
import MCPProtocol

final class LegacySSESession: Sendable {
    let id: String
    let connection: MessageConnection
    /// Encoded SSE events, in order; ends when the session closes.
    let events: AsyncStream<[UInt8]>
    private let sink: AsyncStream<[UInt8]>.Continuation

    init(id: String, gateway: Gateway) {
        let (events, sink) = AsyncStream<[UInt8]>.makeStream()
        self.id = id
        self.events = events
        self.sink = sink
        connection = MessageConnection(sessionID: id, gateway: gateway) { sink.yield(ServerSentEvent.encodeMessage($0)) }
    }

    /// The `endpoint` event: where the client POSTs its messages.
    var endpointEvent: [UInt8] {
        ServerSentEvent(event: "endpoint", data: "\(LegacySSEEndpoint.messagesPath)?session_id=\(id)").encoded()
    }

    /// Bytes as they are (a keep-alive comment).
    func sendRaw(_ bytes: [UInt8]) { sink.yield(bytes) }

    func close() {
        connection.close()
        sink.finish()
    }
}
