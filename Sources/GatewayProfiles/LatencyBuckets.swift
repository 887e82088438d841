// A tool's latency kept as counts in logarithmic buckets: 100 µs up to about two minutes, each
// bucket 1.5 times the one before, so a percentile read from them is within half a bucket
// (±25%) of the true one whatever the tool's speed, in a few dozen integers per tool and day.
// Stored sparsely as text ("3:10,4:25") since a tool's calls fall in a handful of buckets.

public struct LatencyBuckets: Sendable, Equatable {
    /// Upper bounds in microseconds: 100, 150, 225, … (35 of them, the last ~124 s); slower
    /// calls fall in one more bucket past them.
    static let bounds: [Int64] = {
        var bounds: [Int64] = []
        var bound = 100.0
        for _ in 0..<35 {
            bounds.append(Int64(bound.rounded()))
            bound *= 1.5
        }
        return bounds
    }()

    public private(set) var counts: [Int64]

    public init() { counts = Array(repeating: 0, count: Self.bounds.count + 1) }

    /// The bucket a call of `microseconds` falls in (a binary search of the bounds).
    static func index(ofMicroseconds microseconds: Int64) -> Int {
        var low = 0, high = bounds.count
        while low < high {
            let middle = (low + high) / 2
            if microseconds <= bounds[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    public mutating func record(microseconds: Int64) { counts[Self.index(ofMicroseconds: microseconds)] += 1 }

    public mutating func add(_ other: LatencyBuckets) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    public var total: Int64 { counts.reduce(0, +) }

    /// The `quantile` (0…1) in milliseconds: the geometric middle of the bucket where it falls;
    /// nil without calls.
    public func percentile(_ quantile: Double) -> Double? {
        let total = self.total
        guard total > 0 else { return nil }
        let rank = max(1, Int64((quantile * Double(total)).rounded(.up)))
        var seen: Int64 = 0
        for (index, count) in counts.enumerated() {
            seen += count
            guard seen >= rank else { continue }
            let upper = index < Self.bounds.count ? Double(Self.bounds[index]) : Double(Self.bounds[Self.bounds.count - 1]) * 1.5
            let lower = index == 0 ? upper / 1.5 : Double(Self.bounds[index - 1])
            return (lower * upper).squareRoot() / 1000
        }
        return nil
    }

    /// "index:count" pairs of the non-empty buckets.
    public var encoded: String {
        counts.enumerated().filter { $0.element > 0 }.map { "\($0.offset):\($0.element)" }.joined(separator: ",")
    }

    /// Reads `encoded`; entries that do not parse or name no bucket are skipped (a damaged row
    /// loses those counts, never the rest).
    public init(encoded: String) {
        self.init()
        for pair in encoded.split(separator: ",") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let index = Int(parts[0]), let count = Int64(parts[1]),
                  counts.indices.contains(index), count > 0 else { continue }
            counts[index] += count
        }
    }
}
