// `telemetry:`: what the gateway tells an operator about itself. `metrics` is the Prometheus
// endpoint `/metrics`: on by default (it costs a few thousand instructions a call), readable
// by admins, by the principals named in `readers` (a scraper's API key, token or certificate
// name), and by anyone when `/metrics` is in `auth.public_paths`. `profiles` are per-tool
// statistics kept in an SQLite file next to the persisted catalog, `retention_days` long.
// `otlp` exports OpenTelemetry traces: off unless it names an endpoint. `dashboard` serves
// the web dashboard at `/ui` and keeps the last calls for it.

public struct TelemetrySettings: Sendable, Equatable {
    public struct Metrics: Sendable, Equatable {
        public var enabled: Bool
        /// Principal names, besides admins, that may read `/metrics`.
        public var readers: [String]

        public init(enabled: Bool = true, readers: [String] = []) {
            self.enabled = enabled
            self.readers = readers
        }
    }

    public struct Profiles: Sendable, Equatable {
        public var enabled: Bool
        public var retentionDays: Int

        public init(enabled: Bool = true, retentionDays: Int = 90) {
            self.enabled = enabled
            self.retentionDays = retentionDays
        }
    }

    /// `telemetry.otlp`: where spans go, over OTLP/HTTP with protobuf bodies or OTLP/gRPC.
    public struct OTLP: Sendable, Equatable {
        /// How spans travel to the collector.
        public enum ExportProtocol: String, Sendable, Equatable {
            /// OTLP/HTTP, protobuf bodies POSTed to `<endpoint>/v1/traces` (port 4318 on a collector).
            case http
            /// OTLP/gRPC over HTTP/2, `TraceService/Export` at the endpoint (port 4317 on a collector).
            case grpc
        }

        /// The collector's base URL (`http://127.0.0.1:4318`); over HTTP spans are POSTed to
        /// `<endpoint>/v1/traces`, the OpenTelemetry convention; over gRPC the endpoint is the
        /// server's address as it is (`http://127.0.0.1:4317`; `https` for TLS).
        public var endpoint: String
        public var exportProtocol: ExportProtocol
        /// Sent with every export (a collector's API key): secrets, never logged or shown.
        public var headers: [String: String]
        /// The share of new traces recorded, 0 to 1. A client's trace keeps its own decision
        /// (parent-based sampling), so a trace is never cut in the middle.
        public var sampleRatio: Double
        /// `service.name` of the exported resource.
        public var serviceName: String

        public init(endpoint: String, exportProtocol: ExportProtocol = .http, headers: [String: String] = [:], sampleRatio: Double = 1,
                    serviceName: String = "mcp-gateway") {
            self.endpoint = endpoint
            self.exportProtocol = exportProtocol
            self.headers = headers
            self.sampleRatio = sampleRatio
            self.serviceName = serviceName
        }

        /// Where the spans go: the URL they are POSTed to, or the gRPC server's address.
        public var tracesURL: String {
            if exportProtocol == .grpc { return endpoint }
            var base = endpoint
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/v1/traces"
        }
    }

    public var metrics: Metrics
    public var profiles: Profiles
    /// nil: no traces (the default).
    public var otlp: OTLP?
    /// `/ui` and the call feed behind it.
    public var dashboard: Bool

    public init(metrics: Metrics = Metrics(), profiles: Profiles = Profiles(), otlp: OTLP? = nil, dashboard: Bool = true) {
        self.metrics = metrics
        self.profiles = profiles
        self.otlp = otlp
        self.dashboard = dashboard
    }
}
