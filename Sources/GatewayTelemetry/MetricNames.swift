// The names and help texts of the metrics recorded on the call path, in one place: the
// registry stops the process when one name is registered with two help texts, so each is
// written once. (Computed: swift-prometheus's descriptor type is not Sendable.)

import Prometheus

enum MetricNames {
    /// Time buckets from 0.5 ms (a relayed call on loopback) to a minute (a slow tool).
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

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
