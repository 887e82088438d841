// Credential-shaped test values, assembled at run time so that no complete token sits in the
// source (secret scanners would flag the repository), and the helpers every redaction test
// uses: redact a text as a JSON string value and check that the result is still valid JSON.

import GatewayGovernance
import MCPProtocol
import Testing

enum Fixture {
    /// `count` characters cycling through `alphabet`, deterministic.
    static func run(_ count: Int, _ alphabet: String = "aB3dE5gH7jK9mN1pQ2sT4vW6yZ8") -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { characters[($0 * 7 + 3) % characters.count] })
    }

    static let awsAccessKey = "AK" + "IA" + "IOSFODNN7EXAMPLE"
    static let awsSessionKey = "AS" + "IA" + "Y3FODNN7EXAMPL2Q"
    static let awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
    static let githubClassic = "gh" + "p_" + run(36)
    static let githubFineGrained = "github" + "_pat_" + run(22) + "_" + run(59)
    static let gitlab = "gl" + "pat-" + run(20, "xY9zA8bC7dE6fG5hI4jK")
    static let slackBot = "xo" + "xb-" + "123456789012-1234567890123-" + run(24)
    static let slackWebhook = "https://hooks.slack.com" + "/services/T00000000/B00000000/" + run(24)
    static let jwt = "ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    static let privateKeyBody = (0..<6).map { _ in run(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") }
        .joined(separator: "\n")
    static let privateKey = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + privateKeyBody + "\n-----END RSA PRIVATE KEY-----"
    static let opensshKey = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\n" + privateKeyBody + "\n-----END OPENSSH PRIVATE KEY-----"
    static let bearerOpaque = "tok_" + run(28)
}

/// `text` as the value of a JSON object, scanned, and read back (the result must parse).
func redactedValue(_ text: String, _ scanner: SecretScanner = SecretScanner(),
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let document = JSONWriter.encode(["text": .string(text)])
    guard let found = scanner.redact(json: document) else { return text }
    let parsed = try JSONParser.parse(found.bytes)
    let value = try #require(parsed["text"]?.stringValue, sourceLocation: sourceLocation)
    return value
}

/// The counts of a scan of `text` as a JSON string value (empty when nothing was found).
func redactionCounts(_ text: String, _ scanner: SecretScanner = SecretScanner()) -> RedactionCounts {
    scanner.redact(json: JSONWriter.encode(["text": .string(text)]))?.counts ?? RedactionCounts()
}
