// One metric name with a fixed list of label names, and the series made for it so far. A
// series handle (swift-prometheus's Counter, Gauge or histogram) is looked up in a table of
// our own rather than asked of the registry on every call: the registry builds and sorts the
// label list and takes its lock for each request, where a table hit costs one hash.
//
// Label values come partly from clients (a method, a tool name), so the number of series is
// bounded: past `seriesLimit`, new label combinations are counted under one overflow series
// whose every value is `_other`, and the scrape stays small whatever a client sends.

import Prometheus
import Synchronization

final class MetricFamily<Handle: AnyObject & Sendable>: Sendable {
    let name: String
    let labelNames: [String]
    private let make: @Sendable (_ labels: [(String, String)]) -> Handle
    private let series = Mutex<[[String]: Handle]>([:])
    let seriesLimit: Int

    init(name: String, labelNames: [String], seriesLimit: Int, make: @escaping @Sendable (_ labels: [(String, String)]) -> Handle) {
        self.name = name
        self.labelNames = labelNames
        self.seriesLimit = seriesLimit
        self.make = make
    }

    /// The series for these label values (in the order of `labelNames`), made on first use.
    func handle(_ values: [String]) -> Handle {
        if let known = series.withLock({ $0[values] }) { return known }
        return series.withLock { table in
            if let known = table[values] { return known }
            var key = values
            if table.count >= seriesLimit {
                key = Array(repeating: Self.overflow, count: values.count)
                if let known = table[key] { return known }
            }
            let handle = make(Array(zip(labelNames, key)))
            table[key] = handle
            return handle
        }
    }

    /// Every series made so far, with its label values.
    var all: [(values: [String], handle: Handle)] { series.withLock { $0.map { ($0.key, $0.value) } } }

    /// Forgets the series (the caller unregisters it from the registry).
    func remove(_ values: [String]) -> Handle? { series.withLock { $0.removeValue(forKey: values) } }

    var count: Int { series.withLock { $0.count } }

    /// The label value of the series that collects combinations past the limit.
    static var overflow: String { "_other" }
}
