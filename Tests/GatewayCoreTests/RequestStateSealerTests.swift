// Sealed requestState: round trip, tampering, foreign keys, canonical argument digests.

import Crypto
import MCPProtocol
import Testing
@testable import GatewayCore

@Suite struct RequestStateSealerTests {
    let claims = RequestStateSealer.Claims(handle: "h1", method: "tools/call", target: "gateway_invoke",
                                           argumentsDigest: "abc", principal: "anonymous", expires: 2_000_000_000)

    @Test func roundTrips() throws {
        let sealer = RequestStateSealer()
        let token = try #require(sealer.seal(claims))
        #expect(token.hasPrefix("v1."))
        #expect(!token.contains("gateway_invoke"), "the state must not be readable")
        #expect(sealer.open(token) == claims)
    }

    @Test func tamperedOrForeignTokensAreRejected() throws {
        let sealer = RequestStateSealer()
        let token = try #require(sealer.seal(claims))
        var bytes = Array(token.utf8)
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(sealer.open(String(decoding: bytes, as: UTF8.self)) == nil)
        #expect(RequestStateSealer().open(token) == nil)
        #expect(sealer.open("v1.not-base64!") == nil)
        #expect(sealer.open("") == nil)
    }

    @Test func digestIsCanonical() throws {
        let a = try JSONParser.parse(#"{"b":1,"a":{"y":2,"x":[1,{"k":"v","j":0}]}}"#)
        let b = try JSONParser.parse(#"{"a":{"x":[1,{"j":0,"k":"v"}],"y":2},"b":1}"#)
        let c = try JSONParser.parse(#"{"a":{"x":[1,{"j":0,"k":"w"}],"y":2},"b":1}"#)
        #expect(RequestStateSealer.digest(ofArguments: a) == RequestStateSealer.digest(ofArguments: b))
        #expect(RequestStateSealer.digest(ofArguments: a) != RequestStateSealer.digest(ofArguments: c))
        #expect(RequestStateSealer.digest(ofArguments: nil) == RequestStateSealer.digest(ofArguments: .object(JSONObject())))
    }
}
