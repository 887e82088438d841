// Every key of the `server:` section, good and bad values.

import Testing
@testable import GatewayConfig

@Suite struct ServerSectionTests {
    @Test func everyKey() {
        let result = parse("""
            server:
              host: 0.0.0.0
              port: 8080
              request_timeout: 1m30s
              shutdown_timeout: 5s
              max_body_size: 512KB
              allowed_origins: ["https://app.example.com", "*"]
            auth:
              allow_unauthenticated: true
            """)
        #expect(result.diagnostics.isEmpty)
        let server = result.config?.server
        #expect(server?.host == "0.0.0.0")
        #expect(server?.port == 8080)
        #expect(server?.requestTimeout == .seconds(90))
        #expect(server?.shutdownTimeout == .seconds(5))
        #expect(server?.maxBodySize == 512_000)
        #expect(server?.allowedOrigins == ["https://app.example.com", "*"])
    }

    @Test func maxBodySizeBinaryForm() {
        #expect(parse("server:\n  max_body_size: 10MiB\n").config?.server.maxBodySize == 10_485_760)
        #expect(parse("server:\n  max_body_size: 10MB\n").config?.server.maxBodySize == 10_000_000)
        #expect(parse("server:\n  max_body_size: 2048\n").config?.server.maxBodySize == 2048)
    }

    @Test(arguments: ["abc", "0", "65536", "-1", "80.5", "[80]"])
    func badPort(_ value: String) {
        let result = parse("server:\n  port: \(value)\n")
        #expect(result.config == nil)
        let error = result.singleError
        #expect(error?.path == "server.port")
        #expect(error?.line == 2)
        #expect(error?.column == 9)
        #expect(error?.message.contains("expected an integer port 1-65535") == true)
    }

    @Test func quotedPortIsAccepted() {
        #expect(parse("server:\n  port: \"9000\"\n").config?.server.port == 9000)
    }

    @Test func zeroRequestTimeoutIsRejectedButZeroShutdownIsNot() {
        let result = parse("server:\n  request_timeout: 0s\n  shutdown_timeout: 0\n")
        #expect(result.errors.map(\.path) == ["server.request_timeout"])
        #expect(result.singleError?.message.contains("positive duration") == true)
    }

    @Test func badSizesAndDurations() {
        let result = parse("""
            server:
              request_timeout: soon
              max_body_size: huge
              shutdown_timeout: 10x
            """)
        #expect(result.errors.map(\.path) == ["server.request_timeout", "server.max_body_size", "server.shutdown_timeout"])
        #expect(result.errors.map(\.line) == [2, 3, 4])
        #expect(result.errorMessages[0] == "expected a positive duration like '30s', '5m', '1m30s', '100ms' or a number of seconds for 'server.request_timeout', found 'soon'")
        #expect(result.errorMessages[1].hasPrefix("expected a positive size like '10MiB'"))
    }

    /// Above 4 GiB the WebSocket frame decoder trapped on the first connection: sizes are
    /// range-checked at load, with the line.
    @Test func bodySizeAboveTheMaximumIsAnErrorWithItsLine() {
        let result = parse("server:\n  port: 8080\n  max_body_size: 5GiB\n")
        #expect(result.singleError?.path == "server.max_body_size")
        #expect(result.singleError?.line == 3)
        #expect(result.singleError?.message.contains("at most 1073741824") == true)
        #expect(parse("server:\n  max_body_size: 1GiB\n").config?.server.maxBodySize == 1_073_741_824)
        #expect(parse("server:\n  max_body_size: 99999999999999999999TiB\n").errors.map(\.path) == ["server.max_body_size"])
    }

    /// server.request_timeout is the deadline of calls to a backend without its own `timeout`;
    /// a backend's `timeout` overrides it, longer or shorter, whatever order the sections come in.
    @Test func aBackendTimeoutOverridesTheRequestTimeout() {
        let result = parse("""
            backends:
              slow:
                command: slow-server
                timeout: 2m
              quick:
                command: quick-server
                timeout: 5s
              plain:
                command: plain-server
            server:
              request_timeout: 10s
            """)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.isEmpty)
        let timeouts = result.config?.backends.map(\.timeout)
        #expect(timeouts == [.seconds(120), .seconds(5), .seconds(10)])
    }

    /// Anyone reaching a non-loopback port would run every tool: refused at load, with the line,
    /// unless `auth.allow_unauthenticated` says so on purpose.
    @Test func aNetworkFacingHostWithoutAuthenticationIsRefused() {
        let refused = parse("server:\n  port: 8080\n  host: 0.0.0.0\n")
        #expect(refused.singleError?.path == "server.host")
        #expect(refused.singleError?.line == 3)
        #expect(refused.singleError?.message.contains("auth.allow_unauthenticated") == true)
        #expect(parse("server:\n  host: 0.0.0.0\nauth:\n  allow_unauthenticated: true\n").diagnostics.isEmpty)
        #expect(parse("server:\n  host: 0.0.0.0\nauth:\n  enabled: false\n").errors.map(\.path) == ["server.host"])
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] {
            #expect(parse("server:\n  host: \"\(host)\"\n").diagnostics.isEmpty, "\(host)")
        }
        for host in ["::", "192.168.1.5", "gateway.internal", "127.0.0.1.evil", "1270.0.0.1"] {
            #expect(BindExposure.refusal(host: host, auth: AuthSettings()) != nil, "\(host)")
        }
    }

    @Test func emptyHostIsRejected() {
        let result = parse("server:\n  host: \"\"\n")
        #expect(result.singleError?.path == "server.host")
    }

    @Test func allowedOriginsMustBeAList() {
        let result = parse("server:\n  allowed_origins: https://x.example\n")
        #expect(result.singleError?.message == "expected a list of strings for 'server.allowed_origins', found a string")
    }

    @Test func sectionMustBeAMapping() {
        let result = parse("server: 8080\n")
        #expect(result.singleError?.message == "expected a mapping for 'server', found a string")
        #expect(result.singleError?.line == 1)
        #expect(result.singleError?.column == 9)
    }
}
