// The gateway's Prometheus metrics: what front ends, the call pipeline and search record as
// they work, and what is read off the live state when `/metrics` is scraped (ScrapeState).
// Metric names follow the OpenTelemetry MCP semantic conventions where they define one
// (`mcp.server.operation.duration`, `mcp.client.operation.duration`, with `mcp.method.name`,
// `gen_ai.tool.name` and `mcp.protocol.version` as labels), in their Prometheus form; the
// gateway's own are `mcp_gateway_*`. docs/observability.md lists them all with the reference
// product's names they replace.
//
// swift-prometheus's registry is used directly rather than through swift-metrics' factory:
// the factory registers every metric without help text (and the registry stops the process
// when one name is registered with two help texts), and our handle tables (MetricFamily)
// replace the factory's per-call lookup anyway. The exposition is the library's.

import Prometheus
import Synchronization

public final class GatewayMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Time buckets from 0.5 ms (a relayed call on loopback) to a minute (a slow tool).
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    let requests: MetricFamily<Counter>
    let requestDuration: MetricFamily<DurationHistogram>
    let bytesIn: MetricFamily<Counter>
    let bytesOut: MetricFamily<Counter>
    let calls: MetricFamily<Counter>
    let callDuration: MetricFamily<DurationHistogram>
    let inFlight: MetricFamily<Gauge>
    let refusals: MetricFamily<Counter>
    let searches: MetricFamily<Counter>
    let searchDuration: DurationHistogram
    let scrape: ScrapeState
    private let collectors = Mutex<[@Sendable (ScrapeState) async -> Void]>([])

    /// `seriesLimit` bounds each labelled metric's series (see MetricFamily).
    public init(seriesLimit: Int = 2_000) {
        let registry = self.registry
        func counters(_ name: String, _ help: String, _ labels: [String]) -> MetricFamily<Counter> {
            MetricFamily(name: name + "_total", labelNames: labels, seriesLimit: seriesLimit) {
                registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help), labels: $0)
            }
        }
        func histograms(_ name: String, _ help: String, _ labels: [String]) -> MetricFamily<DurationHistogram> {
            MetricFamily(name: name + "_seconds", labelNames: labels, seriesLimit: seriesLimit) {
                registry.makeDurationHistogram(descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help),
                                               labels: $0, buckets: Self.durationBuckets)
            }
        }
        requests = counters("mcp_gateway_requests", "Client requests answered, by front end, protocol version, method and outcome (ok or error).",
                            ["front_end", "mcp_protocol_version", "mcp_method_name", "outcome"])
        requestDuration = histograms("mcp_server_operation_duration",
                                     "Time from a client request's arrival to its answer (OpenTelemetry mcp.server.operation.duration).",
                                     ["front_end", "mcp_protocol_version", "mcp_method_name", "outcome"])
        bytesIn = counters("mcp_gateway_request_bytes", "Bytes of client requests, by front end.", ["front_end"])
        bytesOut = counters("mcp_gateway_response_bytes", "Bytes of answers to client requests, by front end.", ["front_end"])
        calls = counters("mcp_gateway_backend_calls",
                         "Operations sent on to a backend or capability (tools, resources, prompts, relayed methods), refused ones included, by outcome.",
                         ["server", "mcp_method_name", "gen_ai_tool_name", "outcome"])
        callDuration = histograms("mcp_client_operation_duration",
                                  "Time spent on an operation with the backend, retries included (OpenTelemetry mcp.client.operation.duration).",
                                  ["server", "mcp_method_name", "gen_ai_tool_name", "outcome"])
        inFlight = MetricFamily(name: "mcp_gateway_backend_calls_in_flight", labelNames: ["server"], seriesLimit: seriesLimit) {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "mcp_gateway_backend_calls_in_flight", unitName: "",
                                                                helpText: "Operations waiting for a backend's answer now."),
                               labels: $0)
        }
        refusals = counters("mcp_gateway_refused_calls",
                            "Operations the gateway refused before the backend: denied by scopes or policy, rate or concurrency limited, over budget, held by tool pinning, or an open circuit breaker.",
                            ["server", "reason"])
        searches = counters("mcp_gateway_searches", "gateway_search_tools calls, by whether they found anything.", ["result"])
        searchDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "mcp_gateway_search_duration", unitName: "seconds",
                                             helpText: "Time to rank the catalog for one gateway_search_tools call."),
            buckets: [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                      .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100)])
        scrape = ScrapeState(registry: registry)
    }

    // MARK: Recorded as the gateway works

    /// One client request answered.
    public func recordRequest(frontEnd: String, protocolVersion: String, method: String, failed: Bool,
                              bytesIn: Int, bytesOut: Int, elapsed: Duration) {
        let values = [frontEnd, protocolVersion, MethodLabel.bounded(method), failed ? "error" : "ok"]
        requests.handle(values).increment()
        requestDuration.handle(values).record(elapsed)
        if bytesIn > 0 { self.bytesIn.handle([frontEnd]).increment(by: Int64(bytesIn)) }
        if bytesOut > 0 { self.bytesOut.handle([frontEnd]).increment(by: Int64(bytesOut)) }
    }

    /// The gauge of operations in flight to `server`: incremented before the backend is asked,
    /// decremented when the answer (or failure) is in.
    public func inFlightGauge(server: String) -> Gauge { inFlight.handle([server]) }

    /// One operation that reached the pipeline's last step (the backend or capability).
    public func recordCall(server: String, method: String, tool: String?, outcome: String, elapsed: Duration) {
        let values = [server, MethodLabel.bounded(method), tool ?? "", outcome]
        calls.handle(values).increment()
        callDuration.handle(values).record(elapsed)
    }

    /// One operation a stage refused before the backend (`reason`: denied, rate_limited,
    /// budget, pinned, circuit_open).
    public func recordRefusal(server: String, method: String, tool: String?, reason: String) {
        calls.handle([server, MethodLabel.bounded(method), tool ?? "", reason]).increment()
        refusals.handle([server, reason]).increment()
    }

    public func recordSearch(elapsed: Duration, hits: Int) {
        searches.handle([hits > 0 ? "hits" : "empty"]).increment()
        searchDuration.record(elapsed)
    }

    // MARK: Read off the live state at each scrape

    /// Adds a reader of live state (backends, breakers, sessions) run before each exposition.
    public func addCollector(_ collect: @escaping @Sendable (ScrapeState) async -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric, live state refreshed.
    public func exposition() async -> [UInt8] {
        for collect in collectors.withLock({ $0 }) { await collect(scrape) }
        scrape.finishRound()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}
