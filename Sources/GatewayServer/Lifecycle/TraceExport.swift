// `telemetry.otlp`: the OpenTelemetry SDK (swift-otel) that batches the gateway's spans and
// exports them as OTLP protobuf: POSTed to `<endpoint>/v1/traces` (OTLP/HTTP), or sent to
// `TraceService/Export` at the endpoint over HTTP/2 (OTLP/gRPC; grpc-swift under swift-otel's
// OTLPGRPC trait, plaintext for http://, TLS with the system's roots for https://). It runs as a service of the group,
// first in its list so that it stops last: the spans of calls that end during shutdown are
// sent too. Sampling is parent-based: a client's sampled trace is always recorded, new traces
// at `sample_ratio`. The SDK's standard `OTEL_*` variables still apply on top (a batch delay
// shorter than its 5 s default, say: `OTEL_BSP_SCHEDULE_DELAY=200`).

import GatewayConfig
import GatewayTracing
import Logging
import MCPProtocol
import OTel
import ServiceLifecycle

enum TraceExport {
    /// The tracer the core writes to and the service that exports what it records; nil when
    /// `telemetry.otlp` is unset.
    static func make(_ settings: TelemetrySettings.OTLP?, logger: Logger) throws -> (tracer: GatewayTracer, service: any Service)? {
        guard let settings else { return nil }
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration(settings, logger: logger))
        // The collector's address without the headers (they may hold its API key).
        logger.info("exporting traces", metadata: ["url": "\(settings.tracesURL)", "protocol": "\(settings.exportProtocol.rawValue)",
                                                   "sample_ratio": "\(settings.sampleRatio)"])
        return (GatewayTracer(tracer: tracer), service)
    }

    static func configuration(_ settings: TelemetrySettings.OTLP, logger: Logger) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.resourceAttributes = ["service.version": GatewayVersion.current]
        configuration.diagnosticLogger = .custom(logger)
        configuration.propagators = [.traceContext]
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.enabled = true
        configuration.traces.sampler = .parentBasedTraceIDRatio(ratio: settings.sampleRatio) ?? .parentBasedAlwaysOn
        configuration.traces.exporter = .otlp
        // Set explicitly, the endpoint is used as it is: the full URL over HTTP, the
        // server's address over gRPC.
        configuration.traces.otlpExporter.endpoint = settings.tracesURL
        switch settings.exportProtocol {
        case .http: configuration.traces.otlpExporter.protocol = .httpProtobuf
        case .grpc: configuration.traces.otlpExporter.protocol = .grpc
        }
        configuration.traces.otlpExporter.headers = settings.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return configuration
    }
}
