// Event payloads: what one instance writes another reads back; unknown kinds are not errors.

@testable import GatewayStore
import Testing

@Suite struct ClusterEventTests {
    @Test func anEndedSessionRoundTrips() {
        let hash: [UInt8] = [0, 1, 15, 16, 127, 128, 200, 255, 9, 10, 11, 12, 13, 14, 254, 3]
        let event = ClusterEvent.sessionEnded(idHash: hash)
        #expect(event.payload == "ended:00010f107f80c8ff090a0b0c0d0efe03")
        #expect(ClusterEvent(payload: event.payload) == event)
    }

    @Test(arguments: ["reload:abc", "ended:zz", "ended:0102", "", "ended:" + String(repeating: "0", count: 33)])
    func otherPayloadsAreUnknownNotErrors(payload: String) {
        #expect(ClusterEvent(payload: payload) == .unknown(payload))
    }
}
