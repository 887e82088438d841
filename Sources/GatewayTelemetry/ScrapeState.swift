// Metrics read off the gateway's live state when `/metrics` is scraped rather than updated on
// every event: backend states, breaker states, sessions, catalog size. Reading them at the
// scrape costs the call path nothing and cannot drift from what /health reports. A series that
// a round did not set (a backend removed by a reload) is unregistered, so a scrape shows only
// what exists now.

import Prometheus
import Synchronization

public final class ScrapeState: Sendable {
    private struct Key: Hashable {
        let name: String
        let labels: [String]
    }

    private struct Series {
        var gauge: Gauge?
        var counter: Counter?
        /// For counters: the total last seen, so the counter grows by the difference.
        var lastTotal: Int = 0
        var round: Int
    }

    private struct State {
        var series: [Key: Series] = [:]
        var round = 0
    }

    let registry: PrometheusCollectorRegistry
    private let state = Mutex(State())

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Sets the gauge `name` (a full Prometheus name) for these labels to `value`.
    public func gauge(_ name: String, help: String, labels: [(String, String)] = [], value: Double) {
        update(name, labels) { series, registry in
            if series.gauge == nil {
                series.gauge = registry.makeGauge(
                    descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
            }
            series.gauge?.set(value)
        }
    }

    /// Brings the counter `name` (without `_total`) for these labels up to `total`, a running
    /// count kept elsewhere. A total lower than last time (the counted thing was replaced)
    /// starts over from there without decrementing: a counter only grows.
    public func counter(_ name: String, help: String, labels: [(String, String)] = [], total: Int) {
        update(name, labels) { series, registry in
            if series.counter == nil {
                series.counter = registry.makeCounter(
                    descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help), labels: labels)
            }
            if total > series.lastTotal { series.counter?.increment(by: Int64(total - series.lastTotal)) }
            series.lastTotal = total
        }
    }

    /// The series of `name` and `labels`, made if new, changed by `change` and marked as set in
    /// this round.
    private func update(_ name: String, _ labels: [(String, String)],
                        _ change: (inout Series, PrometheusCollectorRegistry) -> Void) {
        let key = Key(name: name, labels: labels.flatMap { [$0.0, $0.1] })
        let registry = self.registry
        state.withLock { state in
            var series = state.series[key] ?? Series(round: state.round)
            change(&series, registry)
            series.round = state.round
            state.series[key] = series
        }
    }

    /// Ends a scrape's round: series no collector set in it leave the registry.
    func finishRound() {
        let stale: [Series] = state.withLock { state in
            let current = state.round
            let stale = state.series.filter { $0.value.round != current }
            for key in stale.keys { state.series.removeValue(forKey: key) }
            state.round += 1
            return Array(stale.values)
        }
        for series in stale {
            if let gauge = series.gauge { registry.unregisterGauge(gauge) }
            if let counter = series.counter { registry.unregisterCounter(counter) }
        }
    }
}
