// Count, errors, throughput and exact percentiles (nearest rank over the sorted samples,
// no histogram buckets) of one measured run, in milliseconds with microsecond resolution.

struct LatencySummary: Sendable {
    let count: Int
    let errors: Int
    let seconds: Double
    /// Sorted successful-request latencies in nanoseconds.
    let sortedNanoseconds: [Int64]

    init(samples: [Int64], errors: Int, wall: Duration) {
        sortedNanoseconds = samples.sorted()
        count = samples.count
        self.errors = errors
        seconds = wall.seconds
    }

    var throughput: Double { seconds > 0 ? Double(count) / seconds : 0 }

    /// Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.
    func percentileMilliseconds(_ p: Double) -> Double {
        guard !sortedNanoseconds.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sortedNanoseconds.count)).rounded(.up))
        let index = min(max(rank - 1, 0), sortedNanoseconds.count - 1)
        return Self.milliseconds(sortedNanoseconds[index])
    }

    var maximumMilliseconds: Double { sortedNanoseconds.last.map(Self.milliseconds) ?? 0 }

    var meanMilliseconds: Double {
        guard !sortedNanoseconds.isEmpty else { return 0 }
        return Self.milliseconds(sortedNanoseconds.reduce(0, +)) / Double(sortedNanoseconds.count)
    }

    /// Rounded to whole microseconds.
    static func milliseconds(_ nanoseconds: Int64) -> Double {
        Double((nanoseconds + 500) / 1000) / 1000
    }

    /// The fields every latency report shares.
    var fields: [(String, JSONNumberOrText)] {
        [
            ("count", .int(count)), ("errors", .int(errors)),
            ("throughput_rps", .number(throughput, decimals: 1)),
            ("p50_ms", .number(percentileMilliseconds(50), decimals: 3)),
            ("p90_ms", .number(percentileMilliseconds(90), decimals: 3)),
            ("p99_ms", .number(percentileMilliseconds(99), decimals: 3)),
            ("max_ms", .number(maximumMilliseconds, decimals: 3)),
            ("mean_ms", .number(meanMilliseconds, decimals: 3)),
        ]
    }

    var humanLine: String {
        "count \(count)  errors \(errors)  \(Report.format(throughput, decimals: 1)) req/s  "
            + "p50 \(Report.format(percentileMilliseconds(50), decimals: 3)) ms  "
            + "p90 \(Report.format(percentileMilliseconds(90), decimals: 3)) ms  "
            + "p99 \(Report.format(percentileMilliseconds(99), decimals: 3)) ms  "
            + "max \(Report.format(maximumMilliseconds, decimals: 3)) ms"
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
