// MCP_GATEWAY_SESSION_KEYS: unset or blank means no ring; keys split at commas or white space;
// a set but unusable value is an error (the start stops), never silently ignored.

import Foundation
import GatewaySealing
@testable import MCPGatewayCLI
import Testing

@Suite struct SessionKeysEnvironmentTests {
    @Test func unsetOrBlankMeansRandomIDs() throws {
        #expect(try SessionKeysEnvironment.keyRing(from: [:]) == nil)
        #expect(try SessionKeysEnvironment.keyRing(from: ["MCP_GATEWAY_SESSION_KEYS": " ,\n"]) == nil)
    }

    @Test func keysSplitAtCommasAndWhiteSpaceNewestFirst() throws {
        let newest = SealingKeyRing.newKey(), older = SealingKeyRing.newKey()
        let ring = try #require(try SessionKeysEnvironment.keyRing(from: ["MCP_GATEWAY_SESSION_KEYS": " \(newest),\n \(older) "]))
        #expect(ring.keyCount == 2)
        let token = try #require(ring.seal(Array("x".utf8), purpose: "p"))
        #expect(try SealingKeyRing(base64Keys: [newest]).open(token, purpose: "p") != nil)
    }

    @Test func anUnusableValueIsAnError() {
        #expect(throws: SealingKeyError.wrongLength(position: 1, bytes: 3)) {
            try SessionKeysEnvironment.keyRing(from: ["MCP_GATEWAY_SESSION_KEYS": "\(SealingKeyRing.newKey()),AAAA"])
        }
    }
}
