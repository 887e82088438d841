// `server.limits:`: every key, the defaults, and values out of range reported with file:line.

import Testing
@testable import GatewayConfig

@Suite struct ServerLimitsSectionTests {
    @Test func defaultsWhenAbsent() {
        let limits = parse("server:\n  port: 8080\n").config?.server.limits
        #expect(limits == ServerLimits())
        #expect(limits?.maxSessions == 1000)
        #expect(limits?.sessionIdleTimeout == .seconds(1800))
        #expect(limits?.maxBatchSize == 100)
        #expect(limits?.journalEvents == 1024)
        #expect(limits?.journalBytes == 4 * 1024 * 1024)
        #expect(limits?.outboundBuffer == 16 * 1024 * 1024)
        #expect(limits?.headerTimeout == .seconds(10))
        #expect(limits?.idleTimeout == .seconds(60))
        #expect(limits?.maxNameLength == 256)
    }

    @Test func everyKey() {
        let result = parse("""
            server:
              limits:
                max_sessions: 5
                session_idle_timeout: 2m
                max_batch_size: 20
                journal_events: 64
                journal_bytes: 256KiB
                outbound_buffer: 2MiB
                header_timeout: 500ms
                idle_timeout: 30s
                max_name_length: 128
            """)
        #expect(result.diagnostics.isEmpty)
        let limits = result.config?.server.limits
        #expect(limits == ServerLimits(
            maxSessions: 5, sessionIdleTimeout: .seconds(120), maxBatchSize: 20, journalEvents: 64,
            journalBytes: 256 * 1024, outboundBuffer: 2 * 1024 * 1024, headerTimeout: .milliseconds(500),
            idleTimeout: .seconds(30), maxNameLength: 128))
    }

    @Test(arguments: [
        ("max_sessions", "0", "a whole number from 1 to 1000000"),
        ("max_sessions", "-3", "a whole number from 1 to 1000000"),
        ("max_sessions", "1e300", "a whole number from 1 to 1000000"),
        ("max_sessions", "99999999999999999999", "a whole number from 1 to 1000000"),
        ("max_batch_size", "100001", "a whole number from 1 to 100000"),
        ("journal_events", "lots", "a whole number from 1 to 1000000"),
        ("max_name_length", "4", "a whole number from 8 to 65536"),
        ("journal_bytes", "10", "a size from 1024 bytes to 1024MiB"),
        ("outbound_buffer", "2GiB", "a size from 1024 bytes to 1024MiB"),
        ("outbound_buffer", "0", "a positive size"),
        ("header_timeout", "10ms", "a duration from 100ms to 1h"),
        ("header_timeout", "2h", "a duration from 100ms to 1h"),
        ("idle_timeout", "0s", "a positive duration"),
        ("idle_timeout", "2d", "a duration from 100ms to 24h"),
        ("session_idle_timeout", "30d", "a duration from 1s to 7 days"),
    ])
    func outOfRange(_ key: String, _ value: String, _ expected: String) {
        let result = parse("server:\n  limits:\n    \(key): \(value)\n")
        #expect(result.config == nil)
        let error = result.singleError
        #expect(error?.path == "server.limits.\(key)")
        #expect(error?.line == 3)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
    }

    @Test func unknownKeyGetsDidYouMean() {
        let result = parse("server:\n  limits:\n    max_session: 5\n")
        let error = result.singleError
        #expect(error?.path == "server.limits.max_session")
        #expect(error?.line == 3)
        #expect(error?.message.contains("max_sessions") == true)
    }

    @Test func limitsMustBeAMapping() {
        let result = parse("server:\n  limits: 5\n")
        #expect(result.singleError?.path == "server.limits")
    }
}
