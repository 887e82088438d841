// The gateway's progress token goes into params._meta without touching other bytes.

import Testing
@testable import GatewayBackends
import MCPProtocol

@Suite struct ProgressTokenSplicerTests {
    func splice(_ params: String?) throws -> JSONValue {
        try JSONParser.parse(ProgressTokenSplicer.splice(token: "gw-1", into: params.map { Array($0.utf8)[...] }))
    }

    @Test func addsMetaWhenAbsent() throws {
        let value = try splice(#"{"name":"x","arguments":{}}"#)
        #expect(value["_meta"]?["progressToken"] == .string("gw-1"))
        #expect(value["name"] == .string("x"))
    }

    @Test func replacesTheClientsTokenAndKeepsOtherMeta() throws {
        let value = try splice(#"{"_meta":{"progressToken":5,"trace":"t"},"name":"x"}"#)
        #expect(value["_meta"]?["progressToken"] == .string("gw-1"))
        #expect(value["_meta"]?["trace"] == .string("t"))
    }

    @Test func worksOnEmptyAndMissingParams() throws {
        #expect(try splice("{}")["_meta"]?["progressToken"] == .string("gw-1"))
        #expect(try splice(nil)["_meta"]?["progressToken"] == .string("gw-1"))
    }
}
