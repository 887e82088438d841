// The per-connection bound on unread output: admitted bytes count until drained; past the
// bound the overflow action runs once and nothing more is admitted; a lone large message
// still goes out.

import Testing
@testable import GatewayServer

@Suite struct OutboundBufferTests {
    @Test func admitsUpToTheLimitThenOverflowsOnce() {
        let overflows = OverflowCount()
        let buffer = OutboundBuffer(limit: 1000) { overflows.add() }
        #expect(buffer.admit(600))
        #expect(buffer.admit(400))
        #expect(!buffer.admit(1))
        #expect(!buffer.admit(1))
        #expect(overflows.value == 1)
        #expect(buffer.isOverflowed)
        // Once overflowed, draining does not reopen it: the connection is being closed.
        buffer.drained(1000)
        #expect(!buffer.admit(10))
    }

    @Test func drainingMakesRoom() {
        let buffer = OutboundBuffer(limit: 1000) {}
        for _ in 0..<100 {
            #expect(buffer.admit(900))
            buffer.drained(900)
        }
        #expect(!buffer.isOverflowed)
    }

    @Test func aLoneMessageLargerThanTheLimitGoesOut() {
        let buffer = OutboundBuffer(limit: 1000) {}
        #expect(buffer.admit(5000))
        #expect(!buffer.admit(1))
    }

    @Test func aStreamEndsWhenItsReaderFallsBehind() async {
        let buffer = OutboundBuffer(limit: 100) {}
        let stream = OutboundStream(buffer: buffer)
        #expect(stream.push(Array(repeating: 1, count: 80)))
        #expect(!stream.push(Array(repeating: 2, count: 80)))
        var received: [[UInt8]] = []
        for await chunk in stream.stream { received.append(chunk) }
        #expect(received.count == 1)
    }
}
