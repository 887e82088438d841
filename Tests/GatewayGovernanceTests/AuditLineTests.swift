// The audit line: fields, their order, the outcome vocabulary, and no argument or result
// values unless the tool is named by include_arguments.

import GatewayAuth
import GatewayGovernance
import MCPProtocol
import Testing

@Suite struct AuditLineTests {
    static let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)

    static func event(target: AuditEvent.Target = .tool("echo"), outcome: AuditEvent.Outcome = .ok,
                      arguments: String = #"{"text":"SECRET-MARKER-123","n":1}"#, include: Bool = false) -> AuditEvent {
        AuditEvent(startedAtMilliseconds: 1_796_000_000_123, principal: alice, frontEnd: "streamable_http", era: "2025-11-25",
                   method: "tools/call", server: "fs", target: target, outcome: outcome, durationNanoseconds: 12_345_678,
                   requestBytes: arguments.utf8.count, responseBytes: 99, arguments: Array(arguments.utf8), includeArguments: include)
    }

    private func line(_ event: AuditEvent) -> (text: String, object: JSONObject) {
        let bytes = AuditLine.encode(event)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = (try? JSONParser.parse(Array(bytes.dropLast())))?.objectValue ?? JSONObject()
        return (String(decoding: bytes, as: UTF8.self), object)
    }

    @Test func fieldsInOrder() {
        let (text, object) = line(Self.event(outcome: .toolResult(Array(#"{"content":[]}"#.utf8))))
        #expect(object.keys == ["time", "principal", "principal_method", "front_end", "era", "method", "server", "tool",
                                "outcome", "duration_ms", "request_bytes", "response_bytes", "arguments_sha256"])
        #expect(object["time"]?.stringValue == "2026-11-30T00:53:20.123Z")
        #expect(object["principal"]?.stringValue == "alice")
        #expect(object["principal_method"]?.stringValue == "api_key")
        #expect(object["outcome"]?.stringValue == "ok")
        #expect(text.contains(#""duration_ms":12.345,"#))
        #expect(object["request_bytes"]?.intValue == 34)
        #expect(object["response_bytes"]?.intValue == 99)
        #expect(object["arguments_sha256"]?.stringValue == ArgumentDigest.sha256Hex(of: Array(#"{"n":1,"text":"SECRET-MARKER-123"}"#.utf8)))
        #expect(!text.contains("SECRET-MARKER-123"))
    }

    @Test func argumentsOnlyWhenIncluded() {
        let (text, object) = line(Self.event(arguments: "{\"text\": \"SECRET-MARKER-123\",\n \"n\": 1}", include: true))
        #expect(text.contains(#""arguments":{"n":1,"text":"SECRET-MARKER-123"}"#))
        #expect(object.keys.last == "arguments")
    }

    @Test func toolErrorIsReadFromTheResult() {
        #expect(line(Self.event(outcome: .toolResult(Array(#"{"content":[],"isError":true}"#.utf8)))).object["outcome"]?.stringValue == "tool_error")
        #expect(line(Self.event(outcome: .toolResult(Array(#"{"isError":false,"content":[]}"#.utf8)))).object["outcome"]?.stringValue == "ok")
        // A nested isError (inside structured content) is the tool's data, not its verdict.
        #expect(line(Self.event(outcome: .toolResult(Array(#"{"structuredContent":{"isError":true}}"#.utf8)))).object["outcome"]?.stringValue == "ok")
    }

    @Test func everyOutcomeHasItsDetail() {
        let refused = line(Self.event(outcome: .refused(outcome: "denied", rule: "auth.api_keys[alice].denied_tools: fs:*"))).object
        #expect(refused["outcome"]?.stringValue == "denied")
        #expect(refused["rule"]?.stringValue == "auth.api_keys[alice].denied_tools: fs:*")
        let protocolError = line(Self.event(outcome: .protocolError(code: -32602))).object
        #expect(protocolError["outcome"]?.stringValue == "protocol_error")
        #expect(protocolError["error_code"]?.intValue == -32602)
        let failure = line(Self.event(outcome: .failure(kind: "closed"))).object
        #expect(failure["outcome"]?.stringValue == "failure")
        #expect(failure["failure"]?.stringValue == "closed")
        #expect(line(Self.event(outcome: .timeout)).object["outcome"]?.stringValue == "timeout")
    }

    @Test func targetsByKind() {
        #expect(line(Self.event(target: .uri("file:///a.txt"))).object["uri"]?.stringValue == "file:///a.txt")
        #expect(line(Self.event(target: .prompt("greet"))).object["prompt"]?.stringValue == "greet")
        let relayed = line(Self.event(target: .none)).object
        #expect(relayed["tool"] == nil && relayed["uri"] == nil && relayed["prompt"] == nil)
    }

    @Test func namesWithQuotesAndNewlinesStayOneLine() {
        var event = Self.event(target: .tool("we\"ird\nname"))
        event.principal = Principal(name: "bob\n{\"forged\":1}", method: .oauth, isAdmin: false)
        let (_, object) = line(event)
        #expect(object["principal"]?.stringValue == "bob\n{\"forged\":1}")
        #expect(object["tool"]?.stringValue == "we\"ird\nname")
    }

    @Test func timestampsRoundTrip() {
        #expect(AuditTimestamp.format(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(AuditTimestamp.format(milliseconds: 951_782_400_007) == "2000-02-29T00:00:00.007Z")
        #expect(AuditTimestamp.parse("2000-02-29T00:00:00.007Z") == 951_782_400_007)
        #expect(AuditTimestamp.parse("2000-02-29T01:00:00+01:00") == 951_782_400_000)
        #expect(AuditTimestamp.parse("2000-02-29T00:00:00.5Z") == 951_782_400_500)
        #expect(AuditTimestamp.parse("2000-02-29T00:00:00.123456Z") == 951_782_400_123)
        #expect(AuditTimestamp.parse("2000-02-29") == nil)
        #expect(AuditTimestamp.parse("2000-13-01T00:00:00Z") == nil)
        let now = AuditTimestamp.nowMilliseconds()
        #expect(AuditTimestamp.parse(AuditTimestamp.format(milliseconds: now)) == now)
    }
}
