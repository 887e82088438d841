// The pure pieces of speaking 2026-07-28 to a backend: the probe's reading of answers,
// x-mcp-header maps and their headers, routing headers, result reading, envelope splicing.

import Testing
@testable import GatewayBackends
import MCPProtocol

@Suite struct ModernBackendWireTests {
    func message(_ json: String) throws -> JSONRPCMessage { try JSONRPCMessage.decode(Array(json.utf8)) }

    @Test func discoverResultNamingTheModernVersionMeansModern() throws {
        let reply = try message(#"{"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"],"capabilities":{},"resultType":"complete","cacheScope":"public","ttlMs":0}}"#)
        guard case .modern = DiscoverProbe.classify(reply: reply) else { Issue.record("expected modern"); return }
    }

    @Test func otherAnswersFallBackToTheHandshake() throws {
        let notFound = try message(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}"#)
        let invalid = try message(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Missing session ID"}}"#)
        let oldOnly = try message(#"{"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2025-11-25"],"capabilities":{}}}"#)
        let handshakeOnly = try message(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"no","data":{"supported":["2025-06-18"]}}}"#)
        for reply in [notFound, invalid, oldOnly, handshakeOnly] {
            guard case .handshake = DiscoverProbe.classify(reply: reply) else { Issue.record("expected handshake"); continue }
        }
        #expect(DiscoverProbe.classify(error: .timeout(seconds: 10)) != nil)
        #expect(DiscoverProbe.classify(error: .http(status: 400, detail: "")) != nil)
        #expect(DiscoverProbe.classify(error: .unreachable("refused")) == nil)
    }

    @Test func unsupportedVersionWithoutAnythingInCommonIsIncompatible() throws {
        let reply = try message(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"no","data":{"supported":["2027-01-01"]}}}"#)
        guard case .incompatible = DiscoverProbe.classify(reply: reply) else { Issue.record("expected incompatible"); return }
    }

    @Test func paramHeadersFromAnnotatedProperties() throws {
        let schema = try JSONParser.parse(#"{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},"opts":{"type":"object","properties":{"dry":{"type":"boolean","x-mcp-header":"Dry-Run"}}},"n":{"type":"integer"}}}"#)
        let map = try ParamHeaderMap.parse(schema: schema).get()
        let headers = map.headers(arguments: try JSONParser.parse(#"{"region":"eu-west-1","opts":{"dry":true},"n":3}"#))
        #expect(headers.map(\.name) == ["Mcp-Param-Dry-Run", "Mcp-Param-Region"])
        #expect(headers.map(\.value) == ["true", "eu-west-1"])
        #expect(map.headers(arguments: try JSONParser.parse(#"{"region":null}"#)).isEmpty)
    }

    @Test func nonASCIIHeaderValuesAreBase64Wrapped() {
        #expect(ParamHeaderMap.headerValue("plain value") == "plain value")
        #expect(ParamHeaderMap.headerValue("Zürich") == "=?base64?WsO8cmljaA==?=")
        #expect(ParamHeaderMap.headerValue(" padded") == "=?base64?IHBhZGRlZA==?=")
    }

    @Test func invalidAnnotationsAreRejected() throws {
        let bad = [
            #"{"properties":{"a":{"type":"object","x-mcp-header":"A"}}}"#,
            #"{"properties":{"a":{"type":"string","x-mcp-header":"has space"}}}"#,
            #"{"properties":{"a":{"type":"string","x-mcp-header":"X"},"b":{"type":"string","x-mcp-header":"x"}}}"#,
            #"{"properties":{"a":{"type":"array","items":{"type":"string","x-mcp-header":"A"}}}}"#,
        ]
        for text in bad {
            let schema = try JSONParser.parse(text)
            guard case .failure = ParamHeaderMap.parse(schema: schema) else { Issue.record("accepted \(text)"); continue }
        }
    }

    @Test func routingHeadersRepeatMethodNameAndParams() throws {
        let map = try ParamHeaderMap.parse(schema: JSONParser.parse(#"{"properties":{"region":{"type":"string","x-mcp-header":"Region"}}}"#)).get()
        let call = Array(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"deploy","arguments":{"region":"us"}}}"#.utf8)
        let headers = ModernRoutingHeaders.headers(for: call, paramMaps: ["deploy": map])
        #expect(headers.map { "\($0.name): \($0.value)" } == [
            "MCP-Protocol-Version: 2026-07-28", "Mcp-Method: tools/call", "Mcp-Name: deploy", "Mcp-Param-Region: us",
        ])
        let read = Array(#"{"jsonrpc":"2.0","id":5,"method":"resources/read","params":{"uri":"file:///a"}}"#.utf8)
        #expect(ModernRoutingHeaders.headers(for: read, paramMaps: [:]).last?.value == "file:///a")
    }

    @Test func completeResultsLoseModernOnlyMembers() throws {
        let result = Array(#"{"content":[],"resultType":"complete","ttlMs":5,"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"b"},"k":1}}"#.utf8)
        guard case .complete(let stripped?) = ModernResult.read(result[...]) else { Issue.record("not stripped"); return }
        #expect(try JSONParser.parse(stripped) == JSONParser.parse(#"{"content":[],"_meta":{"k":1}}"#))
        guard case .complete(nil) = ModernResult.read(Array(#"{"content":[]}"#.utf8)[...]) else { Issue.record("changed"); return }
    }

    @Test func inputRequiredResultsAreRead() throws {
        let result = Array(#"{"resultType":"input_required","requestState":"s1","inputRequests":{"who":{"method":"elicitation/create","params":{"message":"Name?"}}}}"#.utf8)
        guard case .inputRequired(let asked) = ModernResult.read(result[...]) else { Issue.record("not read"); return }
        #expect(asked.requestState == "s1")
        #expect(asked.requests.map(\.key) == ["who"])
        #expect(asked.requests.first?.method == "elicitation/create")
        #expect(asked.requests.first?.params?.string == #"{"message":"Name?"}"#)
    }

    @Test func envelopeIsSplicedIntoMeta() throws {
        let client: JSONValue = ["elicitation": ["form": .object(JSONObject())], "roots": ["listChanged": true], "experimental": .object(JSONObject())]
        let spliced = ProgressTokenSplicer.splice(meta: ModernEnvelope.members(logLevel: "info", clientCapabilities: client),
                                                  into: Array(#"{"name":"x","_meta":{"progressToken":"p"}}"#.utf8)[...])
        let meta = try JSONParser.parse(spliced)["_meta"]
        #expect(meta?["progressToken"] == "p")
        #expect(meta?[ModernEnvelope.versionKey] == "2026-07-28")
        #expect(meta?[ModernEnvelope.logLevelKey] == "info")
        #expect(meta?[ModernEnvelope.capabilitiesKey] == ["elicitation": ["form": .object(JSONObject())], "roots": .object(JSONObject())])
        #expect(ModernEnvelope.capabilities(of: nil) == .object(JSONObject()))
    }
}
