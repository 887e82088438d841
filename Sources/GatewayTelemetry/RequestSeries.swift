// The handles one kind of client request is counted with (front end × protocol version ×
// method), resolved once per kind and kept: a request then costs an array index and a few
// atomic adds, where asking the registry per request built label lists and took its lock four
// times (~16k instructions a relayed call with the backend side, callgrind; BENCHMARKS.md).

import Prometheus
import Synchronization

public final class RequestSeries: Sendable {
    struct Key {
        let frontEnd: String
        let protocolVersion: String
        let method: String
    }

    private let ok: Counter
    private let okDuration: ValueHistogram
    private let failed: Counter
    private let failedDuration: ValueHistogram
    private let bytesIn: Counter
    private let bytesOut: Counter

    init(key: Key, registry: PrometheusCollectorRegistry) {
        func labels(_ outcome: String) -> [(String, String)] {
            [("front_end", key.frontEnd), ("mcp_protocol_version", key.protocolVersion),
             ("mcp_method_name", key.method), ("outcome", outcome)]
        }
        ok = registry.makeCounter(descriptor: MetricNames.requests, labels: labels("ok"))
        failed = registry.makeCounter(descriptor: MetricNames.requests, labels: labels("error"))
        okDuration = registry.makeValueHistogram(descriptor: MetricNames.requestDuration, labels: labels("ok"),
                                                    buckets: MetricNames.durationBuckets)
        failedDuration = registry.makeValueHistogram(descriptor: MetricNames.requestDuration, labels: labels("error"),
                                                        buckets: MetricNames.durationBuckets)
        bytesIn = registry.makeCounter(descriptor: MetricNames.requestBytes, labels: [("front_end", key.frontEnd)])
        bytesOut = registry.makeCounter(descriptor: MetricNames.responseBytes, labels: [("front_end", key.frontEnd)])
    }

    /// One request of this kind answered.
    public func record(failed isError: Bool, bytesIn inBytes: Int, bytesOut outBytes: Int, nanoseconds: Int64) {
        if isError {
            failed.increment()
            failedDuration.record(MetricNames.seconds(nanoseconds))
        } else {
            ok.increment()
            okDuration.record(MetricNames.seconds(nanoseconds))
        }
        if inBytes > 0 { bytesIn.increment(by: Int64(inBytes)) }
        if outBytes > 0 { bytesOut.increment(by: Int64(outBytes)) }
    }
}
