// The handles one kind of backend-bound operation is counted with (server × method × tool):
// the server's in-flight gauge, and per outcome a counter and a latency histogram, made on
// the outcome's first occurrence (a tool that never times out shows no timeout series).
// Resolved once per kind and kept, so an operation costs one table lookup before the call
// and an array index after it.

import Prometheus
import Synchronization

public final class CallSeries: Sendable {
    struct Key: Hashable {
        let server: String
        let method: String
        let tool: String
    }

    /// Every outcome label an operation can end with: the backend's answers, then the
    /// refusals of the pipeline's stages.
    public static let outcomes = ["ok", "tool_error", "error", "timeout", "cancelled", "unavailable",
                                  "denied", "limited", "budget", "pinned", "circuit_open"]

    private struct Handles: Sendable {
        let count: Counter
        let duration: ValueHistogram?
    }

    let key: Key
    private let inFlight: Gauge
    private let registry: PrometheusCollectorRegistry
    private let byOutcome = Mutex<[Handles?]>(Array(repeating: nil, count: CallSeries.outcomes.count))

    init(key: Key, inFlight: Gauge, registry: PrometheusCollectorRegistry) {
        self.key = key
        self.inFlight = inFlight
        self.registry = registry
    }

    /// The operation was sent on: it is in flight until `finished`.
    public func started() { inFlight.increment() }

    /// The operation ended with `outcome` (one of `outcomes`) after `nanoseconds`.
    public func finished(outcome: String, nanoseconds: Int64) {
        inFlight.decrement()
        let handles = self.handles(outcome, timed: true)
        handles.count.increment()
        handles.duration?.record(MetricNames.seconds(nanoseconds))
    }

    /// A stage refused the operation: counted, never timed (it did not reach the backend).
    public func refused(reason: String) {
        handles(reason, timed: false).count.increment()
    }

    private func handles(_ outcome: String, timed: Bool) -> Handles {
        // Small strings compare in a few instructions: a linear search beats hashing here.
        let index = Self.outcomes.firstIndex(of: outcome) ?? 2
        if let known = byOutcome.withLock({ $0[index] }) { return known }
        let labels = [("server", key.server), ("mcp_method_name", key.method), ("gen_ai_tool_name", key.tool),
                      ("outcome", Self.outcomes[index])]
        let made = Handles(
            count: registry.makeCounter(descriptor: MetricNames.calls, labels: labels),
            duration: timed ? registry.makeValueHistogram(descriptor: MetricNames.callDuration, labels: labels,
                                                              buckets: MetricNames.durationBuckets) : nil)
        return byOutcome.withLock { table in
            if let raced = table[index] { return raced }
            table[index] = made
            return made
        }
    }
}
