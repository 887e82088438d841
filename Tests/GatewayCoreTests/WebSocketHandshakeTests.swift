// The WebSocket handshake details on both sides: the subprotocol a client must offer to /ws,
// and the headers the gateway sends when it connects to a WebSocket backend.

import Testing
@testable import GatewayBackends
@testable import GatewayServer

@Suite struct WebSocketHandshakeTests {
    @Test func clientMustOfferMCPSubprotocol() {
        #expect(WebSocketEndpoint.offersSubprotocol(["mcp"]))
        #expect(WebSocketEndpoint.offersSubprotocol(["chat, mcp"]))
        #expect(WebSocketEndpoint.offersSubprotocol(["chat", " mcp "]))
        #expect(!WebSocketEndpoint.offersSubprotocol([]))
        #expect(!WebSocketEndpoint.offersSubprotocol(["mcpx, chat"]))
        #expect(!WebSocketEndpoint.offersSubprotocol(["MCP"]))
    }

    @Test func backendUpgradeCarriesConfiguredHeadersAndSubprotocol() {
        let fields = WebSocketUpgradeHeaders.fields(["Authorization": "Bearer t", "bad header": "x"])
        #expect(fields[.authorization] == "Bearer t")
        #expect(fields[.secWebSocketProtocol] == "mcp")
        #expect(fields.count == 2)
    }
}
