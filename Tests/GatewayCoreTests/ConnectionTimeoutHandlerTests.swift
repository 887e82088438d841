// The header and idle timeouts at the socket end, on virtual time: a head not complete in time
// gets 408 and the connection closes; an idle keep-alive connection closes silently; a request
// in flight (a call, an open stream) and an upgraded WebSocket are never cut.

import Logging
import NIOCore
import NIOEmbedded
import Testing
@testable import GatewayServer

@Suite struct ConnectionTimeoutHandlerTests {
    private func connected() throws -> (EmbeddedChannel, ConnectionTimeoutHandler) {
        let timeouts = ConnectionTimeoutHandler(headerTimeout: .seconds(1), idleTimeout: .seconds(5), logger: Logger(label: "test"))
        let channel = EmbeddedChannel(handler: timeouts)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, timeouts)
    }

    private func sent(_ channel: EmbeddedChannel) throws -> String {
        guard case .byteBuffer(let buffer) = try channel.readOutbound(as: IOData.self) else { return "" }
        return String(buffer: buffer)
    }

    @Test func aHeadNotCompleteInTimeGets408AndTheConnectionCloses() throws {
        let (channel, _) = try connected()
        try channel.writeInbound(ByteBuffer(string: "POST /mcp HTTP/1.1\r\nHost: x\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(try sent(channel).hasPrefix("HTTP/1.1 408 Request Timeout"))
        #expect(!channel.isActive)
    }

    @Test func aSilentConnectionGetsTheHeaderTimeoutToo() throws {
        let (channel, _) = try connected()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        #expect(!channel.isActive)
    }

    @Test func anIdleKeepAliveConnectionClosesAfterTheIdleTimeout() throws {
        let (channel, timeouts) = try connected()
        timeouts.headReceived()
        timeouts.responseEnded()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(4900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
        #expect(try channel.readOutbound(as: IOData.self) == nil)
    }

    @Test func aLaterRequestsHeadGetsTheHeaderTimeout() throws {
        let (channel, timeouts) = try connected()
        timeouts.headReceived()
        timeouts.responseEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        try channel.writeInbound(ByteBuffer(string: "GET /health HT"))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        #expect(try sent(channel).hasPrefix("HTTP/1.1 408"))
        #expect(!channel.isActive)
    }

    @Test func requestsInFlightAndStreamsAreNeverCut() throws {
        let (channel, timeouts) = try connected()
        timeouts.headReceived()
        timeouts.headReceived()  // pipelined
        channel.embeddedEventLoop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive)
        timeouts.responseEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive)
        timeouts.responseEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!channel.isActive)
    }

    @Test func anUpgradedConnectionHasNoHTTPTimeouts() throws {
        let (channel, timeouts) = try connected()
        timeouts.headReceived()
        timeouts.upgraded()
        try channel.writeInbound(ByteBuffer(string: "websocket frames"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(86_400))
        #expect(channel.isActive)
        _ = try channel.finish()
    }
}
