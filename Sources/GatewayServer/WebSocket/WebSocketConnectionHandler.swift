// One WebSocket connection as one MCP client session: every text frame in is a message (or a
// batch) handled concurrently; every message out, replies and notifications, is one text frame.
// The connection holds a slot of the session budget, and its unread output is bounded.

import GatewayAuth
import GatewayCore
import HummingbirdWebSocket
import Logging
import MCPProtocol
import NIOCore
import ServiceLifecycle

struct WebSocketConnectionHandler: Sendable {
    let gateway: Gateway
    let maxMessageSize: Int
    let budget: SessionBudget
    let outboundLimit: Int
    let maxBatchSize: Int
    let logger: Logger

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, principal: Principal) async {
        guard budget.acquire() else {
            budget.noteRefusal("websocket session", logger: logger)
            let refusal = JSONRPCEncoder.error(id: nil, code: SessionBudget.errorCode, message: budget.refusalMessage)
            try? await outbound.write(.text(String(decoding: refusal, as: UTF8.self)))
            // 1013: try again later.
            try? await outbound.close(.unknown(1013), reason: "server.limits.max_sessions reached")
            return
        }
        defer { budget.release() }
        let sessionID = "ws-" + ClientSession.mintID()
        // Writers are synchronous (notifications fire from anywhere); one task drains them in
        // order, at the socket's pace; what the client leaves unread is bounded.
        let (outgoing, sink) = AsyncStream<[UInt8]>.makeStream()
        let buffer = OutboundBuffer(limit: outboundLimit, onOverflow: OutboundBuffer.closing(
            channel, limit: outboundLimit, logger: logger, what: "websocket", session: sessionID))
        let write: @Sendable ([UInt8]) -> Void = { message in
            if buffer.admit(message.count) { sink.yield(message) } else { sink.finish() }
        }
        let connection = MessageConnection(sessionID: sessionID, principal: principal, gateway: gateway, frontEnd: .websocket, maxBatchSize: maxBatchSize, write: write)
        let notifications = ConnectionNotifications(gateway: gateway, connection: connection)
        logger.info("websocket session started", metadata: ["session": "\(SessionTag.of(sessionID))", "principal": "\(principal.name)"])
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await message in outgoing {
                    do {
                        try await outbound.write(.text(String(decoding: message, as: UTF8.self)))
                        buffer.drained(message.count)
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
                logger.debug("websocket read ended: \(error)", metadata: ["session": "\(SessionTag.of(sessionID))"])
            }
            // The peer is gone (or the server is stopping and has sent its close frame): nothing
            // more can reach it, so its requests stop rather than run on unseen.
            connection.close()
            sink.finish()
            group.cancelAll()
        }
        await notifications.cancel()
        logger.info("websocket session ended", metadata: ["session": "\(SessionTag.of(sessionID))"])
    }
}
