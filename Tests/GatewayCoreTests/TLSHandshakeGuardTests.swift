// The TLS handshake phase on virtual time: a handshake not done by the header timeout closes the
// connection; a completed one removes the guard (no later close); a failed one is told upward
// as the input closing, not as an error.

import Logging
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS
import Testing
@testable import GatewayServer

@Suite struct TLSHandshakeGuardTests {
    /// Records what reaches the handlers above the guard.
    final class Above: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var events: [String] = []
        var errors: [any Error] = []
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) { events.append("\(event)") }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { errors.append(error) }
    }

    private func connected() throws -> (EmbeddedChannel, Above) {
        let above = Above()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(TLSHandshakeGuard(timeout: .seconds(1), logger: Logger(label: "test")))
        try channel.pipeline.syncOperations.addHandler(above)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, above)
    }

    @Test func aStalledHandshakeIsClosedAtTheDeadline() throws {
        let (channel, above) = try connected()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
        #expect(above.events.contains("\(ChannelEvent.inputClosed)"))
    }

    @Test func aCompletedHandshakeRemovesTheGuard() throws {
        let (channel, above) = try connected()
        channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(channel.isActive)
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: TLSHandshakeGuard.self) }
        #expect(above.events.count == 1)
        _ = try channel.finish()
    }

    @Test func aFailedHandshakeIsAQuietClose() throws {
        let (channel, above) = try connected()
        channel.pipeline.fireErrorCaught(NIOSSLError.handshakeFailed(.sslError([])))
        #expect(!channel.isActive)
        #expect(above.errors.isEmpty)
        #expect(above.events.contains("\(ChannelEvent.inputClosed)"))
        // Other errors pass through.
        let (other, otherAbove) = try connected()
        other.pipeline.fireErrorCaught(ChannelError.ioOnClosedChannel)
        #expect(otherAbove.errors.count == 1)
        _ = try other.finish()
    }
}
