// The names and help texts of the metrics recorded on the call path, in one place: the
// registry stops the process when one name is registered with two help texts, so each is
// written once. (Computed: swift-prometheus's descriptor type is not Sendable.)

import Prometheus

enum MetricNames {
    /// Time buckets in seconds, from 0.5 ms (a relayed call on loopback) to a minute (a slow
    /// tool). Seconds as Double rather than Duration: swift-prometheus compares the value with
    /// every bucket per observation, and a Double compare is one instruction where a Duration's
    /// is a 128-bit one (~700 instructions an observation with Duration, callgrind).
    static let durationBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ]

    @inline(__always)
    static func seconds(_ nanoseconds: Int64) -> Double { Double(nanoseconds) * 1e-9 }

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_requests", unitName: "total",
                             helpText: "Client requests answered, by front end, protocol version, method and outcome (ok or error).")
    }

    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_server_operation_duration", unitName: "seconds",
                             helpText: "Time from a client request's arrival to its answer (OpenTelemetry mcp.server.operation.duration).")
    }

    static var requestBytes: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_request_bytes", unitName: "total", helpText: "Bytes of client requests, by front end.")
    }

    static var responseBytes: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_response_bytes", unitName: "total",
                             helpText: "Bytes of answers to client requests, by front end.")
    }

    static var calls: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_backend_calls", unitName: "total",
                             helpText: "Operations sent on to a backend or capability (tools, resources, prompts, relayed methods), refused ones included, by outcome.")
    }

    static var callDuration: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_client_operation_duration", unitName: "seconds",
                             helpText: "Time spent on an operation with the backend, retries included (OpenTelemetry mcp.client.operation.duration).")
    }

    static var inFlight: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_backend_calls_in_flight", unitName: "",
                             helpText: "Operations waiting for a backend's answer now.")
    }

    static var refusals: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_refused_calls", unitName: "total",
                             helpText: "Operations the gateway refused before the backend: denied by scopes or policy, rate or concurrency limited, over budget, held by tool pinning, or an open circuit breaker.")
    }

    static var searches: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_searches", unitName: "total",
                             helpText: "gateway_search_tools calls, by whether they found anything.")
    }

    static var searchDuration: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "mcp_gateway_search_duration", unitName: "seconds",
                             helpText: "Time to rank the catalog for one gateway_search_tools call.")
    }
}
