// `telemetry:`: `metrics` and `profiles` on by default, each switched off by a boolean or
// `enabled: false`; metrics readers listed by principal name, profiles kept `retention_days`;
// keys not built yet (traces) refused at their line.

@testable import GatewayConfig
import Testing

@Suite struct TelemetrySectionTests {
    @Test func metricsAreOnByDefault() {
        #expect(parse("server: {port: 1234}\n").config?.telemetry == TelemetrySettings())
        #expect(TelemetrySettings().metrics.enabled)
    }

    @Test func everyForm() {
        #expect(parse("telemetry: {metrics: false}\n").config?.telemetry.metrics.enabled == false)
        #expect(parse("telemetry: {metrics: {enabled: off}}\n").config?.telemetry.metrics.enabled == false)
        let readers = parse("""
            telemetry:
              metrics:
                readers: [prometheus, grafana-agent]
            """).config?.telemetry.metrics
        #expect(readers == TelemetrySettings.Metrics(enabled: true, readers: ["prometheus", "grafana-agent"]))
    }

    @Test func profilesAreOnByDefaultAndKeepTheirDays() {
        #expect(TelemetrySettings().profiles == TelemetrySettings.Profiles(enabled: true, retentionDays: 90))
        #expect(parse("telemetry: {profiles: off}\n").config?.telemetry.profiles.enabled == false)
        #expect(parse("telemetry: {profiles: {retention_days: 7}}\n").config?.telemetry.profiles
            == TelemetrySettings.Profiles(enabled: true, retentionDays: 7))
        #expect(parse("telemetry:\n  profiles:\n    retention_days: 0\n").error(at: "telemetry.profiles.retention_days")?.line == 3)
        #expect(parse("telemetry:\n  profiles:\n    retention: 7\n").error(at: "telemetry.profiles.retention")?.line == 3)
    }

    @Test func mistakesNameTheirLine() {
        let unknown = parse("telemetry:\n  otlp: {endpoint: http://127.0.0.1:4318}\n")
        #expect(unknown.error(at: "telemetry.otlp")?.line == 2)
        let typo = parse("telemetry:\n  metrics:\n    reader: [x]\n")
        #expect(typo.error(at: "telemetry.metrics.reader")?.line == 3)
        #expect(typo.error(at: "telemetry.metrics.reader")?.message.contains("readers") == true)
        let empty = parse("telemetry:\n  metrics:\n    readers: [ok, '']\n")
        #expect(empty.error(at: "telemetry.metrics.readers[1]")?.line == 3)
        #expect(parse("telemetry: {metrics: maybe}\n").error(at: "telemetry.metrics") != nil)
    }
}
