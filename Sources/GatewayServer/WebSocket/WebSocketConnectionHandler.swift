// One WebSocket connection as one MCP client session: every text frame in is a message (or a
// batch) handled concurrently; every message out, replies and notifications, is one text frame.

import GatewayCore
import HummingbirdWebSocket
import Logging
import MCPProtocol
import ServiceLifecycle

struct WebSocketConnectionHandler: Sendable {
    let gateway: Gateway
    let maxMessageSize: Int
    let logger: Logger

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let sessionID = "ws-" + ClientSession.mintID()
        // Writers are synchronous (notifications fire from anywhere); one task drains them in order.
        let (outgoing, sink) = AsyncStream<[UInt8]>.makeStream()
        let write: @Sendable ([UInt8]) -> Void = { sink.yield($0) }
        let connection = MessageConnection(sessionID: sessionID, gateway: gateway, write: write)
        let notifications = ConnectionNotifications(gateway: gateway, connection: connection)
        logger.info("websocket session started", metadata: ["session": "\(sessionID)"])
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await message in outgoing {
                    do {
                        try await outbound.write(.text(String(decoding: message, as: UTF8.self)))
                    } catch {
                        sink.finish()
                    }
                }
            }
            do {
                // Open sockets must not hold up a graceful shutdown.
                for try await message in inbound.messages(maxSize: maxMessageSize).cancelOnGracefulShutdown() {
                    let bytes: [UInt8]
                    switch message {
                    case .text(let text): bytes = Array(text.utf8)
                    case .binary(let buffer): bytes = Array(buffer.readableBytesView)
                    }
                    group.addTask { await connection.handle(bytes) }
                }
            } catch {
                logger.debug("websocket read ended: \(error)", metadata: ["session": "\(sessionID)"])
            }
            // The peer is gone (or the server is stopping and has sent its close frame): nothing
            // more can reach it, so its requests stop rather than run on unseen.
            connection.close()
            sink.finish()
            group.cancelAll()
        }
        await notifications.cancel()
        logger.info("websocket session ended", metadata: ["session": "\(sessionID)"])
    }
}
