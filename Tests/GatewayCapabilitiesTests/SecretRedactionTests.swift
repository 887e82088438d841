// Redaction hides a secret in every form an API can echo it in: as sent in a URL (percent-encoded,
// either hex case, `+` for spaces), JSON-escaped, and base64 (HTTP Basic); and an invalid-URL error
// never prints the secret the URL carries.

import AsyncHTTPClient
@testable import GatewayCapabilities
import MCPProtocol
import Testing

@Suite struct SecretRedactionTests {
    static let secret = "s3cr/t key+\"q\"ü"

    static func request() -> PreparedRequest {
        var request = PreparedRequest(method: "GET", url: "https://api.example.com/x")
        request.secrets = [secret, "abc"]
        return request
    }

    @Test(arguments: [
        secret,
        "s3cr%2Ft%20key%2B%22q%22%C3%BC",
        "s3cr%2ft%20key%2b%22q%22%c3%bc",
        "s3cr%2Ft+key%2B%22q%22%C3%BC",
        #"s3cr/t key+\"q\"ü"#,
        #"s3cr\/t key+\"q\"ü"#,
        Base64.encode(Array(secret.utf8)),
    ])
    func everyEncodedCopyIsRedacted(_ form: String) {
        let redacted = Self.request().redacting("before \(form) after")
        #expect(redacted == "before [secret] after")
    }

    @Test func shortSecretsAreLeftAlone() {
        #expect(Self.request().redacting("abc abc") == "abc abc")
    }

    /// The URL an invalid-URL error shows has its secret (placed percent-encoded) redacted.
    @Test func invalidURLErrorDoesNotShowTheSecret() async throws {
        let encoded = URLEncoding.encodeComponent(Self.secret)
        var request = PreparedRequest(method: "GET", url: "http://exa mple.com/items?key=\(encoded)")
        request.secrets = [Self.secret]
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        let exchange = HTTPExchange(client: client, guardian: SSRFGuard(allow: []), originOverrides: [:])
        do {
            _ = try await exchange.send(request, timeout: .seconds(1), credentialHeaders: [])
            Issue.record("an invalid URL was sent")
        } catch {
            #expect(error.message.contains("the request URL is not valid"), "\(error.message)")
            #expect(!error.message.contains(encoded) && !error.message.contains("s3cr"), "\(error.message)")
        }
    }
}
