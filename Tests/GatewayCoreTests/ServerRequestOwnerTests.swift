// A backend's question (elicitation, sampling, roots) that its transport cannot tie to a call
// goes to a client only when every call in flight is that client's: a call through
// /mcp/{backend} (a client, but nothing to answer with) counts too (issue 13, finding 4).

import GatewayBackends
import Logging
import MCPProtocol
import Synchronization
import Testing

@Suite struct ServerRequestOwnerTests {
    static func question(_ id: String) -> String {
        #"{"jsonrpc":"2.0","id":"\#(id)","method":"elicitation/create","params":{"message":"secret?"}}"#
    }

    @Test func aQuestionIsNotPutToAnotherClientWhileADirectCallIsInFlight() async throws {
        let transport = LoopbackTransport()
        let connection = RPCConnection(transport: transport, logger: Logger(label: "test"), handlers: ConnectionHandlers())
        try await connection.start()
        let asked = Mutex<[String]>([])
        let answering = RequestHooks(onServerRequest: { method, _ in
            asked.withLock { $0.append(method) }
            return .success(RawJSON.emptyObject)
        }, client: "X")
        async let viaMCP = connection.request(method: "x", params: nil, timeout: .seconds(10), hooks: answering)
        async let direct = connection.request(method: "direct", params: nil, timeout: .seconds(10),
                                              hooks: RequestHooks(client: "direct-1"))
        let x = try #require(await transport.requestID(of: "x"))
        let d = try #require(await transport.requestID(of: "direct"))
        transport.deliver(Self.question("q"))
        let refused = try #require(await transport.answer(to: "q"))
        #expect(refused.kind == .errorResponse)
        #expect(asked.withLock { $0 }.isEmpty)
        transport.deliver(#"{"jsonrpc":"2.0","id":\#(d),"result":{}}"#)
        _ = try await direct
        // Now every call in flight is X's: the question is X's to answer.
        transport.deliver(Self.question("q2"))
        let answered = try #require(await transport.answer(to: "q2"))
        #expect(answered.kind == .response)
        #expect(asked.withLock { $0 } == ["elicitation/create"])
        transport.deliver(#"{"jsonrpc":"2.0","id":\#(x),"result":{}}"#)
        _ = try await viaMCP
    }
}
