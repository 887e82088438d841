// The envelope decoder (only jsonrpc/id/method decoded, params kept as bytes) and the
// encoder that splices raw payloads.

import Testing
@testable import MCPProtocol

@Suite struct JSONRPCMessageTests {
    func decode(_ text: String) throws(JSONRPCDecodeError) -> JSONRPCMessage { try JSONRPCMessage.decode(Array(text.utf8)) }

    @Test func decodesARequestAndKeepsParamsBytes() throws {
        let message = try decode(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x", "arguments":{"a":[1, 2]}}}"#)
        #expect(message.kind == .request)
        #expect(message.id == .int(7))
        #expect(message.method == "tools/call")
        #expect(message.params.map { String(decoding: $0, as: UTF8.self) } == #"{"name":"x", "arguments":{"a":[1, 2]}}"#)
    }

    @Test func paramsMembersComeFromTheDecodingPass() throws {
        let message = try decode(#"{"params" : { "name":"x", "arguments":{"a":[1, "}"]}, "_meta":{} } ,"jsonrpc":"2.0","id":1,"method":"m"}"#)
        #expect(message.paramsMembers.map(\.key) == ["name", "arguments", "_meta"])
        let arguments = try #require(message.paramsMembers.first { $0.key == "arguments" })
        #expect(String(decoding: message.bytes[arguments.range], as: UTF8.self) == #"{"a":[1, "}"]}"#)
        #expect(message.params.map { String(decoding: $0, as: UTF8.self) } == #"{ "name":"x", "arguments":{"a":[1, "}"]}, "_meta":{} }"#)
        #expect(try decode(#"{"jsonrpc":"2.0","id":1,"method":"m","params":[1,{"a":2}]}"#).paramsMembers.isEmpty)
        #expect(try decode(#"{"jsonrpc":"2.0","id":1,"method":"m"}"#).paramsMembers.isEmpty)
        #expect(try decode(#"{"jsonrpc":"2.0","id":1,"result":{"params":{"a":1}}}"#).paramsMembers.isEmpty)
        #expect(throws: JSONRPCDecodeError.self) { try decode(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":}}"#) }
    }

    @Test func stringIdsAndNotifications() throws {
        #expect(try decode(#"{"jsonrpc":"2.0","id":"abc","method":"ping"}"#).id == .string("abc"))
        let note = try decode(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        #expect(note.kind == .notification)
        #expect(note.id == nil)
    }

    @Test func responsesAndErrors() throws {
        let ok = try decode(#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#)
        #expect(ok.kind == .response)
        #expect(ok.result.map { Array($0) } == Array(#"{"tools":[]}"#.utf8))
        let failure = try decode(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"nope"}}"#)
        #expect(failure.kind == .errorResponse)
        #expect(failure.errorValue() == JSONRPCErrorObject(code: -32601, message: "nope"))
    }

    @Test func malformedJSONIsAParseError() {
        do throws(JSONRPCDecodeError) {
            _ = try decode(#"{"jsonrpc":"2.0","id":1,"method":"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == JSONRPCErrorCode.parseError)
        }
    }

    @Test(arguments: [
        #"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
        #"{"id":1,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":1}"#,
        #"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"ping","params":3}"#,
        #"[]"#,
    ])
    func invalidEnvelopesAreInvalidRequests(_ text: String) {
        do throws(JSONRPCDecodeError) {
            _ = try decode(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.code == JSONRPCErrorCode.invalidRequest || error.code == JSONRPCErrorCode.parseError)
        }
    }

    @Test func invalidRequestKeepsTheIdForTheReply() {
        do throws(JSONRPCDecodeError) {
            _ = try decode(#"{"jsonrpc":"1.0","id":42,"method":"ping"}"#)
        } catch {
            #expect(error.id == .int(42))
        }
    }

    @Test func encoderSplicesRawPayloads() {
        let params = Array(#"{"q": "a/b"}"#.utf8)
        let request = String(decoding: JSONRPCEncoder.request(id: .string("x"), method: "m", params: params[...]), as: UTF8.self)
        #expect(request == #"{"jsonrpc":"2.0","id":"x","method":"m","params":{"q": "a/b"}}"#)
        let result = String(decoding: JSONRPCEncoder.result(id: .int(3), result: Array("[1]".utf8)[...]), as: UTF8.self)
        #expect(result == #"{"jsonrpc":"2.0","id":3,"result":[1]}"#)
        let error = String(decoding: JSONRPCEncoder.error(id: nil, code: -32700, message: "bad"), as: UTF8.self)
        #expect(error == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#)
    }

    @Test func scannerFindsArrayElementsAndBatches() throws {
        let bytes = Array(#"[{"a":1}, "x" ,[2]]"#.utf8)
        let ranges = try JSONScanner.elements(of: bytes, in: 0..<bytes.count)
        #expect(ranges.map { String(decoding: bytes[$0], as: UTF8.self) } == [#"{"a":1}"#, #""x""#, "[2]"])
        #expect(JSONScanner.isArray(Array("  [1]".utf8)))
        #expect(!JSONScanner.isArray(Array("{}".utf8)))
    }
}

/// Numbers from the network are converted with checks: none of these may trap.
@Suite struct NumericInputTests {
    @Test(arguments: ["1e300", "-9.3e18", "1e309", "-1e309", "9.3e18", "-9.223372036854775808e18", "1e15", "0.5"])
    func hugeOrFractionalIdsAreNotIds(_ text: String) throws {
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(JSONRPCID(json: value) == nil || text == "1e15")
        #expect(value.intValue == nil || text == "1e15")
        // The envelope decoder reads the same id from the bytes.
        let message = try? JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":\#(text),"method":"m"}"#.utf8))
        #expect(message?.id == nil || text == "1e15")
    }

    @Test func hugeDoublesAreWrittenWithoutTrapping() {
        var out: [UInt8] = []
        for d in [1e300, -9.3e18, 9.3e18, Double.infinity, -Double.infinity, Double.nan, 1e15, 3.0] {
            JSONWriter.write(.double(d), into: &out)
            out.append(UInt8(ascii: " "))
        }
        #expect(String(decoding: out, as: UTF8.self) == "1e+300 -9.3e+18 9.3e+18 null null null 1000000000000000.0 3 ")
    }
}
