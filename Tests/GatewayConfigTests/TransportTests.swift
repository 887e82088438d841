// How `http_url`, `transport` and the reference's `streamable_http` choose a backend transport.

import Testing
@testable import GatewayConfig

@Suite struct TransportTests {
    private func transport(_ lines: String) -> ConfigParseResult {
        parse("backends:\n  b:\n" + lines.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n")
    }

    @Test func httpDefaultsToAuto() {
        #expect(transport("http_url: http://localhost:3000/mcp").config?.backends.first?.transport
                == .http(url: "http://localhost:3000/mcp", mode: .auto))
    }

    @Test(arguments: [
        ("transport: auto", HTTPMode.auto),
        ("transport: streamable_http", .streamableHTTP),
        ("transport: sse", .sse),
        ("streamable_http: true", .streamableHTTP),
        ("streamable_http: false", .sse),
        ("transport: sse\nstreamable_http: false", .sse),
        ("transport: auto\nstreamable_http: true", .streamableHTTP),
    ])
    func modes(_ lines: String, _ mode: HTTPMode) {
        let result = transport("http_url: https://x.example/mcp\n" + lines)
        #expect(result.diagnostics.isEmpty)
        #expect(result.config?.backends.first?.transport == .http(url: "https://x.example/mcp", mode: mode))
    }

    @Test func contradictionIsAnError() {
        let result = transport("http_url: https://x.example/mcp\ntransport: sse\nstreamable_http: true")
        #expect(result.singleError?.message == "'streamable_http: true' contradicts 'transport: sse'; keep only 'transport'")
    }

    @Test func unknownTransportSuggests() {
        let result = transport("http_url: https://x.example/mcp\ntransport: streamable")
        #expect(result.singleError?.message == "expected one of auto, streamable_http, sse, websocket for 'backends.b.transport', found 'streamable'; did you mean 'streamable_http'?")
    }

    @Test(arguments: ["ws://localhost:9000/mcp", "wss://x.example/mcp"])
    func webSocketURLs(_ url: String) {
        #expect(transport("http_url: \(url)").config?.backends.first?.transport == .webSocket(url: url))
        #expect(transport("http_url: \(url)\ntransport: websocket").config?.backends.first?.transport == .webSocket(url: url))
    }

    @Test func streamableFlagOnAWebSocketURLWarns() {
        let result = transport("http_url: ws://x/mcp\nstreamable_http: true")
        #expect(result.errors.isEmpty)
        #expect(result.warningMessages == ["'streamable_http' does not apply to WebSocket URLs and is ignored"])
    }

    @Test func webSocketMismatches() {
        #expect(transport("http_url: ws://x/mcp\ntransport: sse").singleError?.message.contains("WebSocket URL") == true)
        #expect(transport("http_url: http://x/mcp\ntransport: websocket").singleError?.message == "'transport: websocket' needs a ws:// or wss:// URL")
    }

    @Test(arguments: ["ftp://x.example/mcp", "localhost:3000", "not a url", "http://", "/just/a/path"])
    func badURLs(_ url: String) {
        let result = transport("http_url: \"\(url)\"")
        #expect(result.singleError?.message.hasPrefix("expected an http://, https://, ws:// or wss:// URL for 'backends.b.http_url'") == true)
    }

    @Test func transportOnACommandBackendIsAnError() {
        let result = transport("command: x\ntransport: sse")
        #expect(result.singleError?.message == "'transport' applies only to 'http_url' backends")
    }
}
