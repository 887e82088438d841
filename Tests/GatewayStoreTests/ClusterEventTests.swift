// Event payloads: what one instance writes another reads back; unknown kinds are not errors.

@testable import GatewayStore
import Testing

@Suite struct ClusterEventTests {
    @Test func anEndedSessionRoundTrips() {
        let hash: [UInt8] = [0, 1, 15, 16, 127, 128, 200, 255, 9, 10, 11, 12, 13, 14, 254, 3]
        let event = ClusterEvent.sessionEnded(idHash: hash, expires: 1_800_000_000)
        #expect(event.payload == "ended:00010f107f80c8ff090a0b0c0d0efe03:1800000000")
        #expect(ClusterEvent(payload: event.payload) == event)
    }

    @Test(arguments: ["reload:abc", "ended:zz:1", "ended:0102:1", "", "ended:" + String(repeating: "0", count: 32),
                         "ended:" + String(repeating: "0", count: 32) + ":soon"])
    func otherPayloadsAreUnknownNotErrors(payload: String) {
        #expect(ClusterEvent(payload: payload) == .unknown(payload))
    }
}
