// Duration and size grammars, good and bad.

import Testing
@testable import GatewayConfig

@Suite struct HumanDurationAndByteSizeTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("5m", .seconds(300)), ("100ms", .milliseconds(100)), ("1h", .seconds(3600)),
        ("1m30s", .seconds(90)), ("1m 30s", .seconds(90)), ("45", .seconds(45)), ("0", .zero), ("2d", .seconds(172_800)),
        ("1h2m3s4ms", .milliseconds(3_723_004)), ("10 sec", .seconds(10)), ("5min", .seconds(300)), (" 7s ", .seconds(7)),
        ("2hours", .seconds(7200)), ("1S", .seconds(1)),
    ])
    func goodDurations(_ text: String, _ expected: Duration) {
        #expect(HumanDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "-5s", "1.5s", "5x", "5 m s", "abc", "30s!", "m5", "99999999999999999999s", "999999999999h"])
    func badDurations(_ text: String) {
        #expect(HumanDuration.parse(text) == nil)
    }

    @Test(arguments: [
        ("1024", 1024), ("10MiB", 10_485_760), ("10MB", 10_000_000), ("512KB", 512_000), ("512k", 512_000),
        ("1GB", 1_000_000_000), ("1GiB", 1_073_741_824), ("2 KiB", 2048), ("10mib", 10_485_760), ("5Mi", 5_242_880),
        ("7B", 7), ("0", 0),
    ])
    func goodSizes(_ text: String, _ expected: Int) {
        #expect(ByteSize.parse(text) == expected)
    }

    @Test(arguments: ["", "MB", "-1", "1.5MB", "10 bytes", "10XB", "abc", "99999999999999999999", "9999999999999TB"])
    func badSizes(_ text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func zeroBodySizeIsRejected() {
        #expect(parse("server:\n  max_body_size: 0\n").singleError?.path == "server.max_body_size")
    }

    @Test func zeroBackendTimeoutIsRejected() {
        #expect(parse("backends:\n  a:\n    command: x\n    timeout: 0s\n").singleError?.path == "backends.a.timeout")
    }
}
