// What /mcp/{backend} does with client messages it does not relay as requests: a cancellation
// acts only on the sender's own requests in its own session; a client's progress token never
// reaches the shared backend session (issue 13, finding 4).

import GatewayAuth
import GatewayCore
@testable import GatewayServer
import MCPProtocol
import Synchronization
import Testing

@Suite struct DirectClientMessagesTests {
    func message(_ json: String) throws -> JSONRPCMessage { try JSONRPCMessage.decode(Array(json.utf8)) }

    @Test func aCancellationActsOnlyOnTheSendersOwnRequests() throws {
        let mine = ClientSession(id: "a", context: ClientContext(principal: .unauthenticated))
        let other = ClientSession(id: "b", context: ClientContext(principal: .unauthenticated))
        let cancelled = Mutex<[String]>([])
        mine.inflight.register(.int(7)) { cancelled.withLock { $0.append("a:7") } }
        other.inflight.register(.int(8)) { cancelled.withLock { $0.append("b:8") } }
        let cancel8 = try message(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":8}}"#)
        DirectClientMessages.handle(cancel8, session: mine)   // not A's request
        DirectClientMessages.handle(cancel8, session: nil)    // nobody's
        #expect(cancelled.withLock { $0 }.isEmpty)
        let cancel7 = try message(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}"#)
        DirectClientMessages.handle(cancel7, session: mine)
        #expect(cancelled.withLock { $0 } == ["a:7"])
    }

    @Test func theClientsProgressTokenIsRemovedAndTheRestKept() throws {
        let call = try message(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"},"_meta":{"progressToken":"gw-1","other":1}}}"#)
        let params = try #require(DirectClientMessages.params(withoutProgressToken: call))
        let parsed = try JSONParser.parse(params)
        #expect(parsed["_meta"] == ["other": 1])
        #expect(parsed["arguments"] == ["text": "x"])
        let plain = try message(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{}}}"#)
        #expect(DirectClientMessages.params(withoutProgressToken: plain) == plain.params)
    }

    @Test func setLevelAndSubscriptionsNeverReachTheSharedBackend() {
        #expect(DirectClientMessages.localAnswer(method: "logging/setLevel", id: .int(1)) != nil)
        #expect(DirectClientMessages.localAnswer(method: "resources/subscribe", id: .int(1)) != nil)
        #expect(DirectClientMessages.localAnswer(method: "resources/unsubscribe", id: .int(1)) != nil)
        #expect(DirectClientMessages.localAnswer(method: "tools/call", id: .int(1)) == nil)
    }
}
