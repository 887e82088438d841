// The scanner over raw JSON: the document stays valid whatever is replaced (escaped newlines in
// a PEM block, a token right after an escape, several kinds in one result), a result with
// nothing found is not copied, and plain text (error messages) is handled too.

import GatewayGovernance
import MCPProtocol
import Testing

@Suite struct RedactionJSONTests {
    @Test func nothingFoundMeansNoCopy() {
        let document = Array(#"{"content":[{"type":"text","text":"all clear, sha 3f786850e387550fdab836ed7e6dc881de23001b"}]}"#.utf8)
        #expect(SecretScanner().redact(json: document) == nil)
        #expect(SecretScanner().redact(text: "nothing here") == nil)
    }

    @Test func anEscapedPEMBlockIsReplacedWhole() throws {
        // As a backend's JSON encoder writes a key file: newlines as \n escapes.
        let raw = Array(#"{"content":[{"type":"text","text":"#.utf8) + JSONWriter.encode(.string("id_rsa:\n" + Fixture.privateKey + "\n"))
            + Array("}]}".utf8)
        #expect(raw.contains(UInt8(ascii: "\\")))
        let found = try #require(SecretScanner().redact(json: raw))
        #expect(String(decoding: found.bytes, as: UTF8.self) == #"{"content":[{"type":"text","text":"id_rsa:\n[redacted:private_key]\n"}]}"#)
        #expect(found.counts[.privateKey] == 1 && found.counts.total == 1)
        _ = try JSONParser.parse(found.bytes)
    }

    @Test func tokensAfterEscapesAreFoundAndEscapesStayWhole() throws {
        // A token right after a \n escape: the n is no part of a word.
        #expect(try redactedValue("line\n\(Fixture.githubClassic)") == "line\n[redacted:github_token]")
        #expect(try redactedValue("tab\t\(Fixture.awsAccessKey)") == "tab\t[redacted:aws_access_key]")
        // \b (backspace) followed by "earer …" is no "bearer": the escape stays whole.
        let backspace = "\u{8}earer \(Fixture.bearerOpaque)"
        #expect(try redactedValue(backspace) == backspace)
        // An escaped backslash before a token: the token is found, the pair kept.
        #expect(try redactedValue("C:\\\(Fixture.githubClassic)") == "C:\\[redacted:github_token]")
    }

    @Test func everyKindInOneResultKeepsTheDocumentValid() throws {
        let text = [
            "aws \(Fixture.awsAccessKey)", "aws_secret_access_key: \(Fixture.awsSecret)", Fixture.githubClassic,
            Fixture.gitlab, Fixture.slackBot, Fixture.slackWebhook, Fixture.privateKey, Fixture.jwt,
            "Bearer \(Fixture.bearerOpaque)", "own gateway-secret-0001",
        ].joined(separator: "\n\"quoted\"\t")
        let scanner = SecretScanner(gatewaySecrets: ["gateway-secret-0001"])
        let document = Array(#"{"content":[{"type":"text","text":"#.utf8) + JSONWriter.encode(.string(text))
            + Array(#"}],"structuredContent":{"key":"#.utf8) + JSONWriter.encode(.string(Fixture.githubFineGrained)) + Array("}}".utf8)
        let found = try #require(scanner.redact(json: document))
        let parsed = try JSONParser.parse(found.bytes)
        #expect(found.counts.description
                == "aws_access_key=1,aws_secret_key=1,github_token=2,gitlab_token=1,slack_token=1,slack_webhook=1,private_key=1,jwt=1,bearer_token=1,gateway_secret=1")
        #expect(parsed["structuredContent"]?["key"]?.stringValue == "[redacted:github_token]")
        let redactedText = String(decoding: found.bytes, as: UTF8.self)
        for secret in [Fixture.awsAccessKey, Fixture.awsSecret, Fixture.githubClassic, Fixture.gitlab, Fixture.slackBot, Fixture.jwt,
                       Fixture.bearerOpaque, "gateway-secret-0001", Fixture.githubFineGrained] {
            #expect(!redactedText.contains(secret))
        }
    }

    @Test func plainTextErrorsAreRedacted() throws {
        let scanner = SecretScanner()
        let message = "upstream said: invalid key \(Fixture.awsAccessKey)\n\(Fixture.privateKey)\nbye"
        let redacted = try #require(scanner.redact(text: message))
        #expect(redacted.text == "upstream said: invalid key [redacted:aws_access_key]\n[redacted:private_key]\nbye")
        #expect(redacted.counts.total == 2)
        let error = JSONRPCErrorObject(code: -32000, message: "bad token \(Fixture.githubClassic)",
                                       data: ["headers": ["authorization": .string("Bearer \(Fixture.bearerOpaque)")]])
        let cleaned = try #require(scanner.redact(error: error))
        #expect(cleaned.error.message == "bad token [redacted:github_token]")
        #expect(cleaned.error.data?["headers"]?["authorization"]?.stringValue == "Bearer [redacted:bearer_token]")
        #expect(cleaned.error.code == -32000)
        #expect(cleaned.counts.description == "github_token=1,bearer_token=1")
        #expect(scanner.redact(error: JSONRPCErrorObject(code: -32602, message: "Unknown tool: x")) == nil)
    }
}
