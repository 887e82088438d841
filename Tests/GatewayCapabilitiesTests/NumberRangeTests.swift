// Durations and sizes in capability files are range-checked when the file loads, with the line: a
// `timeout: 1e300` once trapped on hot reload and `timeout: 10000000000` on the first call.

@testable import GatewayCapabilities
import Testing

@Suite struct NumberRangeTests {
    static func file(timeout: String, truncate: String = "8KB") -> String {
        """
        name: ranged
        description: A capability with a timeout and a truncate limit.
        providers:
          primary:
            service: rest
            timeout: \(timeout)
            config:
              base_url: https://api.example.com
              path: /items
        transform:
          truncate: \(truncate)
        """
    }

    @Test(arguments: ["1e300", "10000000000", "9223372036854775807", "3601", "3600.5", "1000000h", "3650d", "1e309", ".inf"])
    func timeoutsOutOfRangeAreLoadErrorsWithTheLine(_ timeout: String) {
        let result = loadCapability(Self.file(timeout: timeout), path: "ranged.yaml")
        #expect(result.definition == nil)
        let problem = result.errors.first
        #expect(problem?.line == 6, "\(result.problems)")
        #expect(problem?.keyPath == "providers.primary.timeout")
        #expect(problem?.path == "ranged.yaml")
    }

    @Test(arguments: [("3600", Duration.seconds(3600)), ("2.5", .milliseconds(2500)), ("1h", .seconds(3600)),
                      ("500ms", .milliseconds(500))])
    func timeoutsInRangeLoad(_ written: String, _ expected: Duration) {
        let result = loadCapability(Self.file(timeout: written))
        #expect(result.errors.isEmpty, "\(result.problems)")
        #expect(result.definition?.providers.first?.timeout == expected)
    }

    @Test(arguments: ["10485761", "11MiB", "9223372036854775807", "99999999999999999999"])
    func truncateAboveTheResponseLimitIsALoadError(_ truncate: String) {
        let result = loadCapability(Self.file(timeout: "10s", truncate: truncate), path: "ranged.yaml")
        #expect(result.definition == nil)
        #expect(result.errors.first?.line == 11, "\(result.problems)")
        #expect(result.errors.first?.keyPath == "transform.truncate")
    }

    @Test func truncateAtTheResponseLimitLoads() {
        let result = loadCapability(Self.file(timeout: "10s", truncate: "10MiB"))
        #expect(result.errors.isEmpty, "\(result.problems)")
        #expect(result.definition?.transform.truncate == CapabilityLimits.maxResponseBytes)
    }

    /// The conversion the HTTP client's timeout goes through saturates instead of trapping.
    @Test func durationToNanosecondsSaturates() {
        #expect(Duration.seconds(10_000_000_000).saturatingNanoseconds == Int64.max)
        #expect(Duration.seconds(-10_000_000_000).saturatingNanoseconds == Int64.min)
        #expect(Duration.milliseconds(1500).saturatingNanoseconds == 1_500_000_000)
    }
}
