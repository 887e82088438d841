// The header and idle timeouts at the socket end, on virtual time: a head not complete in time
// gets 408 and the connection closes; a body that stops coming closes it; an idle keep-alive
// connection closes silently; a request in flight (a call, an open stream) and an upgraded
// WebSocket are never cut.

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
        timeouts.requestEnded()
        timeouts.headReceived()  // pipelined
        timeouts.requestEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive)
        timeouts.responseEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive)
        timeouts.responseEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!channel.isActive)
    }

    @Test func aBodyThatStopsComingClosesTheConnection() throws {
        let (channel, timeouts) = try connected()
        try channel.writeInbound(ByteBuffer(string: "POST /mcp HTTP/1.1\r\nContent-Length: 100000\r\n\r\n"))
        timeouts.headReceived()
        // A few bytes now and then are no progress: the header timeout runs on from the head.
        for _ in 0..<4 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
            try channel.writeInbound(ByteBuffer(string: "{\"a\":"))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(300))
        #expect(!channel.isActive)
        #expect(try channel.readOutbound(as: IOData.self) == nil)
    }

    @Test func aBodyThatKeepsComingAndAnEndedOneAreNotCut() throws {
        let (channel, timeouts) = try connected()
        timeouts.headReceived()
        // 64 KiB per header timeout moves the deadline on: a large upload on a slow link.
        for _ in 0..<5 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
            try channel.writeInbound(ByteBuffer(repeating: 0x20, count: ConnectionTimeoutHandler.bodyProgress))
        }
        #expect(channel.isActive)
        timeouts.requestEnded()
        // The body is complete: the call may run as long as it runs.
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
