// `telemetry:`: `metrics` and `profiles` on by default, each switched off by a boolean or
// `enabled: false`; metrics readers listed by principal name, profiles kept `retention_days`;
// `otlp` traces off unless an endpoint is named, its mistakes (a gRPC exporter that is not
// built, a bad URL or ratio) refused at their line.

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

    @Test func tracesAreOffUnlessAnEndpointIsNamed() throws {
        #expect(TelemetrySettings().otlp == nil)
        let otlp = try #require(parse("""
            telemetry:
              otlp:
                endpoint: http://127.0.0.1:4318/
                protocol: http
                headers: {Authorization: "Bearer ${OTLP_TOKEN}"}
                sample_ratio: 0.25
                service_name: gateway-eu
            """, environment: ["OTLP_TOKEN": "tok-0123456789abcdef"]).config?.telemetry.otlp)
        #expect(otlp == TelemetrySettings.OTLP(endpoint: "http://127.0.0.1:4318/", headers: ["Authorization": "Bearer tok-0123456789abcdef"],
                                               sampleRatio: 0.25, serviceName: "gateway-eu"))
        #expect(otlp.tracesURL == "http://127.0.0.1:4318/v1/traces")
        #expect(TelemetrySettings.OTLP(endpoint: "https://collector.example/otel").tracesURL == "https://collector.example/otel/v1/traces")
        #expect(parse("telemetry: {otlp: {endpoint: 'http://127.0.0.1:4318'}}\n").config?.telemetry.otlp?.sampleRatio == 1)
    }

    @Test func theDashboardIsOnUnlessSwitchedOff() {
        #expect(TelemetrySettings().dashboard)
        #expect(parse("telemetry: {dashboard: false}\n").config?.telemetry.dashboard == false)
        #expect(parse("telemetry:\n  dashboard: sometimes\n").error(at: "telemetry.dashboard")?.line == 2)
    }

    @Test func traceMistakesNameTheirLine() {
        let grpc = parse("telemetry:\n  otlp:\n    endpoint: http://127.0.0.1:4317\n    protocol: grpc\n")
        #expect(grpc.errors.isEmpty)
        #expect(grpc.config?.telemetry.otlp?.exportProtocol == .grpc)
        // Over gRPC the endpoint is dialled as it is: no /v1/traces.
        #expect(grpc.config?.telemetry.otlp?.tracesURL == "http://127.0.0.1:4317")
        let noPort = parse("telemetry:\n  otlp:\n    endpoint: https://collector.example\n    protocol: grpc\n")
        #expect(noPort.error(at: "telemetry.otlp.endpoint")?.line == 3)
        #expect(noPort.error(at: "telemetry.otlp.endpoint")?.message.contains("with its port") == true)
        let withPath = parse("telemetry:\n  otlp:\n    endpoint: http://127.0.0.1:4317/v1/traces\n    protocol: grpc\n")
        #expect(withPath.error(at: "telemetry.otlp.endpoint")?.line == 3)
        let unknown = parse("telemetry:\n  otlp:\n    endpoint: http://127.0.0.1:4317\n    protocol: thrift\n")
        #expect(unknown.error(at: "telemetry.otlp.protocol")?.message.contains("'http' or 'grpc'") == true)
        #expect(parse("telemetry:\n  otlp:\n    endpoint: 127.0.0.1:4318\n").error(at: "telemetry.otlp.endpoint")?.line == 3)
        #expect(parse("telemetry:\n  otlp:\n    endpoint: ftp://h/\n").error(at: "telemetry.otlp.endpoint") != nil)
        #expect(parse("telemetry:\n  otlp:\n    endpoint: http://h/?a=1\n").error(at: "telemetry.otlp.endpoint") != nil)
        #expect(parse("telemetry:\n  otlp:\n    sample_ratio: 0.5\n").error(at: "telemetry.otlp")?.message.contains("needs 'endpoint'") == true)
        #expect(parse("telemetry:\n  otlp:\n    endpoint: http://h\n    sample_ratio: 1.5\n").error(at: "telemetry.otlp.sample_ratio")?.line == 4)
        #expect(parse("telemetry:\n  otlp:\n    endpoint: http://h\n    sampling: 1\n").error(at: "telemetry.otlp.sampling")?.line == 4)
        #expect(parse("telemetry:\n  otlp:\n    endpoint: http://h\n    headers: {'bad name': x}\n").error(at: "telemetry.otlp.headers.bad name") != nil)
    }

    @Test func mistakesNameTheirLine() {
        let typo = parse("telemetry:\n  metrics:\n    reader: [x]\n")
        #expect(typo.error(at: "telemetry.metrics.reader")?.line == 3)
        #expect(typo.error(at: "telemetry.metrics.reader")?.message.contains("readers") == true)
        let empty = parse("telemetry:\n  metrics:\n    readers: [ok, '']\n")
        #expect(empty.error(at: "telemetry.metrics.readers[1]")?.line == 3)
        #expect(parse("telemetry: {metrics: maybe}\n").error(at: "telemetry.metrics") != nil)
    }
}
