// `subscriptions/listen` (2026-07-28) on HTTP: the subscription's messages as an event
// stream. Keep-alive comments also reveal a vanished client. Unread bytes are bounded by the
// connection's OutboundBuffer.

import GatewayAuth
import GatewayCore
import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOCore
import ServiceLifecycle

struct ListenStream: Sendable {
    let gateway: Gateway

    func open(_ message: JSONRPCMessage, buffer: OutboundBuffer?, principal: Principal) -> Response {
        let output = OutboundStream(buffer: buffer)
        let subscription = ListenSubscription(gateway: gateway, request: message, subscriber: "listen-\(ClientSession.mintID())",
                                              principal: principal,
                                              origin: CallOrigin(frontEnd: .streamableHTTP, protocolVersion: ModernEra.version)) {
            output.push(ServerSentEvent.encodeMessage($0))
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            await subscription.subscribeResources()
            let keepAlive = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    output.push(ServerSentEvent.keepAlive)
                }
            }
            defer {
                keepAlive.cancel()
                Task { await subscription.close() }
            }
            for await chunk in output.stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(bytes: chunk))
                buffer?.drained(chunk.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
