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
// when one name is registered with two help texts), and the per-call path needs handles
// resolved once and kept (RequestSeries, CallSeries) rather than a factory lookup per event.
// The exposition is the library's.
//
// Label values partly come from clients (a method, a tool name sent to `/mcp/{backend}`), so
// every table is bounded: unknown methods, front ends and versions are `_other`, and past
// `seriesLimit` kinds of operation new ones are counted under one kind labelled `_other`.

import Prometheus
import Synchronization

public final class GatewayMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let seriesLimit: Int
    /// By MethodLabel.requestKind: every kind has a slot, so the table is bounded by itself.
    private let requestTable = Mutex<[RequestSeries?]>(Array(repeating: nil, count: MethodLabel.requestKinds))
    private let callTable = Mutex<[CallSeries.Key: CallSeries]>([:])
    private let refusals: MetricFamily<Counter>
    private let searches: MetricFamily<Counter>
    private let searchDuration: ValueHistogram
    let scrape: ScrapeState
    private let collectors = Mutex<[@Sendable (ScrapeState) async -> Void]>([])

    /// `seriesLimit` bounds the kinds of operations counted apart.
    public init(seriesLimit: Int = 2_000) {
        self.seriesLimit = seriesLimit
        let registry = self.registry
        refusals = MetricFamily(name: "mcp_gateway_refused_calls_total", labelNames: ["server", "reason"], seriesLimit: seriesLimit) {
            registry.makeCounter(descriptor: MetricNames.refusals, labels: $0)
        }
        searches = MetricFamily(name: "mcp_gateway_searches_total", labelNames: ["result"], seriesLimit: 2) {
            registry.makeCounter(descriptor: MetricNames.searches, labels: $0)
        }
        searchDuration = registry.makeValueHistogram(
            descriptor: MetricNames.searchDuration,
            buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1])
        scrape = ScrapeState(registry: registry)
    }

    // MARK: Recorded as the gateway works

    /// The series a request of this kind is counted in.
    public func requestSeries(frontEnd: String, protocolVersion: String, method: String) -> RequestSeries {
        let kind = MethodLabel.requestKind(frontEnd: frontEnd, protocolVersion: protocolVersion, method: method)
        if let known = requestTable.withLock({ $0[kind] }) { return known }
        let key = RequestSeries.Key(
            frontEnd: MethodLabel.label(MethodLabel.index(frontEnd, in: MethodLabel.frontEnds), in: MethodLabel.frontEnds),
            protocolVersion: MethodLabel.label(MethodLabel.index(protocolVersion, in: MethodLabel.versions), in: MethodLabel.versions),
            method: MethodLabel.bounded(method))
        let made = RequestSeries(key: key, registry: registry)
        return requestTable.withLock { table in
            if let raced = table[kind] { return raced }
            table[kind] = made
            return made
        }
    }

    /// One client request answered.
    public func recordRequest(frontEnd: String, protocolVersion: String, method: String, failed: Bool,
                              bytesIn: Int, bytesOut: Int, nanoseconds: Int64) {
        requestSeries(frontEnd: frontEnd, protocolVersion: protocolVersion, method: method)
            .record(failed: failed, bytesIn: bytesIn, bytesOut: bytesOut, nanoseconds: nanoseconds)
    }

    /// The series an operation on `server` of this kind is counted in (`tool` nil: not a tool call).
    public func callSeries(server: String, method: String, tool: String?) -> CallSeries {
        let key = CallSeries.Key(server: server, method: method, tool: tool ?? "")
        if let known = callTable.withLock({ $0[key] }) { return known }
        let bounded = CallSeries.Key(server: server, method: MethodLabel.bounded(method), tool: tool ?? "")
        let registry = self.registry
        return callTable.withLock { table in
            if let known = table[bounded] { return known }
            let key = table.count < seriesLimit ? bounded : CallSeries.Key(server: "_other", method: "_other", tool: "_other")
            if let known = table[key] { return known }
            // One gauge per server, shared by its kinds of operation (the registry returns the
            // same gauge for the same labels).
            let inFlight = registry.makeGauge(descriptor: MetricNames.inFlight, labels: [("server", key.server)])
            let series = CallSeries(key: key, inFlight: inFlight, registry: registry)
            table[key] = series
            return series
        }
    }

    /// One operation a stage refused before the backend (`reason`: denied, limited, budget,
    /// pinned, circuit_open).
    public func recordRefusal(server: String, method: String, tool: String?, reason: String) {
        let series = callSeries(server: server, method: method, tool: tool)
        series.refused(reason: reason)
        refusals.handle([series.key.server, reason]).increment()
    }

    public func recordSearch(nanoseconds: Int64, hits: Int) {
        searches.handle([hits > 0 ? "hits" : "empty"]).increment()
        searchDuration.record(MetricNames.seconds(nanoseconds))
    }

    /// Kinds of operation counted apart so far (the bound's test).
    var callKinds: Int { callTable.withLock { $0.count } }

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
