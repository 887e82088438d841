// The bound on a backend's relayed log messages: a burst of 1,000 passes, the excess is dropped,
// the rate refills 200 a second, and the first message relayed after drops says how many.

@testable import GatewayBackends
import MCPProtocol
import Testing

@Suite struct LogFloodGateTests {
    @Test func burstThenRateThenTheCountOfTheDropped() throws {
        var gate = LogFloodGate()
        let start = ContinuousClock.now
        for _ in 0..<1000 { #expect(gate.admit(now: start).relay) }
        for _ in 0..<50 { #expect(!gate.admit(now: start).relay) }
        #expect(gate.dropped == 50)
        // Half a second refills 100.
        let later = start + .milliseconds(500)
        let first = gate.admit(now: later)
        #expect(first.relay && first.droppedBefore == 50)
        for _ in 0..<99 { #expect(gate.admit(now: later) == (true, 0)) }
        #expect(!gate.admit(now: later).relay)
        let warning = try JSONParser.parse(LogFloodGate.warning(dropped: 50, server: "chatty"))
        #expect(warning["level"]?.stringValue == "warning")
        #expect(warning["data"]?.stringValue == "mcp-gateway dropped 50 log messages from backend 'chatty': more than 200 a second")
    }
}
