// The 2026-07-28 per-request envelope read from `params._meta`, and the decoration every
// result of that era gets (resultType, cache hints, serverInfo) spliced into relayed bytes.

import MCPProtocol
import Testing
@testable import GatewayCore

@Suite struct ModernEraTests {
    static let version = ModernEra.MetaKey.protocolVersion
    static let capabilities = ModernEra.MetaKey.clientCapabilities

    func request(params: String) throws -> JSONRPCMessage {
        try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":\#(params)}"#.utf8))
    }

    func envelope(_ params: String) throws -> Result<ModernEra.Envelope, ModernEra.EnvelopeProblem> {
        ModernEra.envelope(of: try request(params: params))
    }

    @Test func readsVersionCapabilitiesAndLogLevel() throws {
        let params = #"{"name":"t","arguments":{"a":[1,{"b":2}]},"_meta":{"\#(Self.version)":"2026-07-28","# +
            #""io.modelcontextprotocol/clientInfo":{"name":"c"},"\#(Self.capabilities)":{"elicitation":{"form":{}}},"# +
            #""io.modelcontextprotocol/logLevel":"debug"}}"#
        let envelope = try envelope(params).get()
        #expect(envelope.protocolVersion == "2026-07-28")
        #expect(envelope.capabilities["elicitation"]?["form"] != nil)
        #expect(envelope.logLevel == "debug")
    }

    @Test func progressTokenIsReadWithTheEnvelope() throws {
        let base = #""\#(Self.version)":"2026-07-28","\#(Self.capabilities)":{}"#
        #expect(try envelope(#"{"_meta":{\#(base),"progressToken":"t-1"}}"#).get().progressToken == "t-1")
        #expect(try envelope(#"{"_meta":{"progressToken":7,\#(base)}}"#).get().progressToken == 7)
        #expect(try envelope(#"{"_meta":{\#(base),"progressToken":null}}"#).get().progressToken == nil)
        #expect(try envelope(#"{"_meta":{\#(base)}}"#).get().progressToken == nil)
        // Keys that differ from the envelope's only in their last byte or first word are not it.
        let near = #"{"_meta":{"\#(Self.version)X":"1","Xo.modelcontextprotocol/protocolVersion":"2","# +
            #""\#(Self.version)":"2026-07-28","\#(Self.capabilities)":{},"progressTokem":1}}"#
        let envelope = try envelope(near).get()
        #expect(envelope.protocolVersion == "2026-07-28")
        #expect(envelope.progressToken == nil)
    }

    @Test func emptyCapabilitiesAreAnEmptyObject() throws {
        let envelope = try envelope(#"{"_meta":{"\#(Self.capabilities)": { },"\#(Self.version)":"2026-07-28"}}"#).get()
        #expect(envelope.capabilities == .object(JSONObject()))
        #expect(envelope.logLevel == nil)
    }

    @Test(arguments: [
        #"{"name":"t"}"#,
        #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#,
        #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":[]}}"#,
        #"{"_meta":{"io.modelcontextprotocol/protocolVersion":7,"io.modelcontextprotocol/clientCapabilities":{}}}"#,
        #"{"_meta":"no"}"#,
    ])
    func incompleteEnvelopesSayWhatIsMissing(params: String) throws {
        guard case .failure(.missing(let what)) = try envelope(params) else {
            Issue.record("accepted \(params)")
            return
        }
        #expect(what.hasPrefix("params._meta["))
    }

    /// Not an incomplete envelope but invalid JSON: the whole message is refused as such.
    @Test func invalidJSONInsideTheEnvelopeIsAParseError() {
        let message = #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"x":}}}}"#
        #expect(throws: JSONRPCDecodeError.self) { try JSONRPCMessage.decode(Array(message.utf8)) }
    }

    @Test func missingParamsNameTheVersionFirst() throws {
        let message = try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#.utf8))
        guard case .failure(.missing(let what)) = ModernEra.envelope(of: message) else {
            Issue.record("accepted a request without params")
            return
        }
        #expect(what.contains(Self.version))
    }

    @Test func decorationAddsResultTypeAndCacheHintsOnce() throws {
        let response = Array(#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#.utf8)
        let decorated = ModernEra.decorate(response: response, method: "tools/list", serverInfo: ["name": "g"])
        let result = try #require(try JSONParser.parse(decorated)["result"])
        #expect(result["resultType"] == "complete")
        #expect(result["ttlMs"]?.intValue != nil)
        #expect(result["cacheScope"] == "public")
        #expect(result["_meta"]?[ModernEra.MetaKey.serverInfo]?["name"] == "g")
        #expect(result["tools"] == .array([]))
        let again = ModernEra.decorate(response: decorated, method: "tools/list", serverInfo: ["name": "g"])
        #expect(again == decorated)
        let empty = ModernEra.decorate(response: Array(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8), method: "tools/call", serverInfo: "x")
        #expect(try JSONParser.parse(empty)["result"]?["resultType"] == "complete")
        let call = try JSONParser.parse(empty)["result"]
        #expect(call?["ttlMs"] == nil)
    }

    @Test func decorationKeepsWhatTheResultAlreadySays() throws {
        let response = Array(#"{ "id" : "a", "jsonrpc":"2.0", "result" : { "content":[{"type":"text","text":"}{"}], "resultType":"input_required", "_meta":{"k":1} } }"#.utf8)
        let decorated = ModernEra.decorate(response: response, method: "tools/call", serverInfo: ["name": "g"])
        let parsed = try JSONParser.parse(decorated)
        #expect(parsed["id"] == "a")
        #expect(parsed["result"]?["resultType"] == "input_required")
        #expect(parsed["result"]?["_meta"]?["k"]?.intValue == 1)
        #expect(parsed["result"]?["content"]?.arrayValue?.first?["text"] == "}{")
        #expect(decorated == response)
    }

    @Test func errorsAndMalformedRepliesPassUntouched() {
        for reply in [#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}"#,
                      #"{"jsonrpc":"2.0","id":1,"result":[1]}"#,
                      #"{"jsonrpc":"2.0","id":1,"result":{"a":"#, "not json"] {
            let bytes = Array(reply.utf8)
            #expect(ModernEra.decorate(response: bytes, method: "tools/list", serverInfo: "x") == bytes)
        }
    }
}
