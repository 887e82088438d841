// The origin rule for a legacy SSE backend's `endpoint` event (issue 13, finding 5): only the
// event stream's own scheme, host and port; the refusal names origins, never paths or user info.

import Testing
@testable import GatewayBackends

@Suite struct LegacySSEEndpointOriginTests {
    static let stream = "http://user:pw@127.0.0.1:39502/sse?key=k"

    @Test(arguments: [
        ("/messages?session_id=1", "/messages?session_id=1"),
        ("messages", "/messages"),
        ("http://127.0.0.1:39502/m", "/m"),
        ("HTTP://127.0.0.1:39502/m", "/m"),
    ])
    func sameOriginEndpointsAreResolved(_ data: String, _ path: String) throws {
        let target = try LegacySSEEndpointOrigin.resolve(data, streamURL: Self.stream).get()
        #expect(target.host == "127.0.0.1" && target.port == 39502)
        #expect(target.pathAndQuery == path)
    }

    @Test func defaultPortsAreTheSameOrigin() throws {
        let target = try LegacySSEEndpointOrigin.resolve("https://API.example:443/m", streamURL: "https://api.example/sse").get()
        #expect(target.port == 443)
    }

    @Test(arguments: [
        "http://127.0.0.1:39503/steal", "//127.0.0.1:39503/steal", "http://localhost:39502/messages",
        "https://127.0.0.1:39502/messages", "http://169.254.169.254/latest/meta-data", "ftp://127.0.0.1:39502/x",
    ])
    func otherOriginsAreRefused(_ data: String) {
        guard case .failure(let error) = LegacySSEEndpointOrigin.resolve(data, streamURL: Self.stream) else {
            Issue.record("accepted \(data)")
            return
        }
        let text = error.description
        #expect(text.contains("endpoint event") && text.contains("refused") || text.contains("not a valid http(s) URL"), "\(text)")
        #expect(!text.contains("pw") && !text.contains("key=k") && !text.contains("steal"), "\(text)")
    }

    @Test func refusalNamesBothOrigins() {
        guard case .failure(let error) = LegacySSEEndpointOrigin.resolve("http://127.0.0.1:39503/steal", streamURL: Self.stream)
        else {
            Issue.record("accepted")
            return
        }
        #expect(error.description == "protocol error: endpoint event refused: it names http://127.0.0.1:39503, another origin "
            + "than the event stream's http://127.0.0.1:39502 (a legacy SSE backend may only have messages posted to its own "
            + "scheme, host and port)")
    }
}
