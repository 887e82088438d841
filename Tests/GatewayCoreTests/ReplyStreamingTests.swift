// Which session-era requests a front end may answer as plain JSON (no event stream), and
// which of those it may run on its own task because only the catalog answers them.

import GatewayAuth
import MCPProtocol
import Testing
@testable import GatewayCore

@Suite struct ReplyStreamingTests {
    func message(_ method: String, params: String = "{}") throws -> JSONRPCMessage {
        try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8))
    }

    let plainClient = ClientContext(principal: .unauthenticated, protocolVersion: "2025-11-25", capabilities: ["experimental": [:]])
    let askingClient = ClientContext(principal: .unauthenticated, protocolVersion: "2025-11-25", capabilities: ["sampling": [:]])

    @Test func aCallWithoutProgressOrQuestionsIsPlainJSON() throws {
        let call = try message("tools/call", params: #"{"name":"gateway_invoke","arguments":{"server":"a","tool":"b"}}"#)
        #expect(!ReplyStreaming.mayStream(call, context: plainClient))
        #expect(!ReplyStreaming.mayStream(call, context: ClientContext(principal: .unauthenticated)))
    }

    @Test func aProgressTokenMeansAStreamForAnyMethod() throws {
        let call = try message("tools/call", params: #"{"name":"t","_meta":{"progressToken":"p1"}}"#)
        #expect(ReplyStreaming.mayStream(call, context: plainClient))
        let read = try message("resources/read", params: #"{"uri":"x://y","_meta":{"progressToken":7}}"#)
        #expect(ReplyStreaming.mayStream(read, context: plainClient))
        let nullToken = try message("tools/call", params: #"{"name":"t","_meta":{"progressToken":null}}"#)
        #expect(!ReplyStreaming.mayStream(nullToken, context: plainClient))
    }

    @Test func aClientThatAnswersQuestionsGetsAStreamForToolCallsOnly() throws {
        let call = try message("tools/call", params: #"{"name":"t"}"#)
        #expect(ReplyStreaming.mayStream(call, context: askingClient))
        #expect(ReplyStreaming.mayStream(call, context: ClientContext(principal: .unauthenticated, capabilities: ["elicitation": [:]])))
        #expect(ReplyStreaming.mayStream(call, context: ClientContext(principal: .unauthenticated, capabilities: ["roots": [:]])))
        #expect(!ReplyStreaming.mayStream(try message("prompts/get", params: #"{"name":"p"}"#), context: askingClient))
    }

    @Test func onlyPingAndToolSearchAreAnsweredFromTheCatalog() throws {
        let search = try message("tools/call", params: #"{"arguments":{"query":"x"},"name":"gateway_search_tools"}"#)
        #expect(ReplyStreaming.answersFromCatalog(search, metaTools: true))
        #expect(!ReplyStreaming.answersFromCatalog(search, metaTools: false))
        #expect(ReplyStreaming.answersFromCatalog(try message("ping"), metaTools: true))
        for name in ["gateway_invoke", "gateway_list_tools", "gateway_list_servers", "echo"] {
            let call = try message("tools/call", params: #"{"name":"\#(name)"}"#)
            #expect(!ReplyStreaming.answersFromCatalog(call, metaTools: true))
        }
        #expect(!ReplyStreaming.answersFromCatalog(try message("resources/read", params: #"{"uri":"a://b"}"#), metaTools: true))
    }
}
