// What /metrics exposes after known events: counts, histogram counts, the bound on label
// values a client controls, and the live-state series a scrape sets and drops.

import Synchronization
import Testing
@testable import GatewayTelemetry

@Suite struct GatewayMetricsTests {
    /// The sample lines of an exposition: `name{labels} value`, comments left out.
    private func samples(_ metrics: GatewayMetrics) async -> [String: Double] {
        let text = String(decoding: await metrics.exposition(), as: UTF8.self)
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func requestsAndCallsAreCountedWithTheirLabels() async {
        let metrics = GatewayMetrics()
        for _ in 0..<3 {
            metrics.recordRequest(frontEnd: "streamable_http", protocolVersion: "2025-11-25", method: "tools/call", failed: false,
                                  bytesIn: 100, bytesOut: 40, nanoseconds: Int64(2) * 1_000_000)
        }
        metrics.recordRequest(frontEnd: "stdio", protocolVersion: "2025-06-18", method: "tools/list", failed: true,
                              bytesIn: 10, bytesOut: 5, nanoseconds: Int64(300) * 1_000)
        let echo = metrics.callSeries(server: "alpha", method: "tools/call", tool: "echo")
        echo.started()
        echo.finished(outcome: "ok", nanoseconds: Int64(1) * 1_000_000)
        echo.started()
        echo.finished(outcome: "tool_error", nanoseconds: Int64(70) * 1_000_000)
        metrics.recordRefusal(server: "alpha", method: "tools/call", tool: "add", reason: "denied")
        metrics.recordSearch(nanoseconds: Int64(80) * 1_000, hits: 3)
        metrics.recordSearch(nanoseconds: Int64(80) * 1_000, hits: 0)
        let s = await samples(metrics)
        #expect(s[#"mcp_gateway_requests_total{front_end="streamable_http",mcp_protocol_version="2025-11-25",mcp_method_name="tools/call",outcome="ok"}"#] == 3)
        #expect(s[#"mcp_gateway_requests_total{front_end="stdio",mcp_protocol_version="2025-06-18",mcp_method_name="tools/list",outcome="error"}"#] == 1)
        #expect(s[#"mcp_server_operation_duration_seconds_count{front_end="streamable_http",mcp_protocol_version="2025-11-25",mcp_method_name="tools/call",outcome="ok"}"#] == 3)
        #expect(s[#"mcp_server_operation_duration_seconds_bucket{front_end="stdio",mcp_protocol_version="2025-06-18",mcp_method_name="tools/list",outcome="error",le="0.0005"}"#] == 1)
        #expect(s[#"mcp_gateway_request_bytes_total{front_end="streamable_http"}"#] == 300)
        #expect(s[#"mcp_gateway_response_bytes_total{front_end="streamable_http"}"#] == 120)
        #expect(s[#"mcp_gateway_backend_calls_total{server="alpha",mcp_method_name="tools/call",gen_ai_tool_name="echo",outcome="tool_error"}"#] == 1)
        #expect(s[#"mcp_client_operation_duration_seconds_bucket{server="alpha",mcp_method_name="tools/call",gen_ai_tool_name="echo",outcome="tool_error",le="0.05"}"#] == 0)
        #expect(s[#"mcp_client_operation_duration_seconds_bucket{server="alpha",mcp_method_name="tools/call",gen_ai_tool_name="echo",outcome="tool_error",le="0.1"}"#] == 1)
        #expect(s[#"mcp_gateway_backend_calls_total{server="alpha",mcp_method_name="tools/call",gen_ai_tool_name="add",outcome="denied"}"#] == 1)
        #expect(s[#"mcp_gateway_refused_calls_total{server="alpha",reason="denied"}"#] == 1)
        #expect(s[#"mcp_gateway_searches_total{result="hits"}"#] == 1)
        #expect(s[#"mcp_gateway_searches_total{result="empty"}"#] == 1)
        #expect(s["mcp_gateway_search_duration_seconds_count"] == 2)
    }

    @Test func labelValuesAClientControlsAreBounded() async {
        let metrics = GatewayMetrics(seriesLimit: 5)
        for index in 0..<50 {
            metrics.callSeries(server: "alpha", method: "tools/call", tool: "tool-\(index)").finished(outcome: "ok", nanoseconds: Int64(1) * 1_000_000)
            metrics.recordRequest(frontEnd: "stdio", protocolVersion: "2025-11-25", method: "made/up/\(index)", failed: true,
                                  bytesIn: 1, bytesOut: 1, nanoseconds: Int64(1) * 1_000_000)
        }
        #expect(metrics.callKinds == 6)
        let s = await samples(metrics)
        #expect(s[#"mcp_gateway_backend_calls_total{server="_other",mcp_method_name="_other",gen_ai_tool_name="_other",outcome="ok"}"#] == 45)
        // Unknown methods share one label value: one series however many a client invents.
        #expect(s[#"mcp_gateway_requests_total{front_end="stdio",mcp_protocol_version="2025-11-25",mcp_method_name="_other",outcome="error"}"#] == 50)
    }

    @Test func inFlightGaugeFollowsCalls() async {
        let metrics = GatewayMetrics()
        let echo = metrics.callSeries(server: "beta", method: "tools/call", tool: "echo")
        let read = metrics.callSeries(server: "beta", method: "resources/read", tool: nil)
        echo.started()
        read.started()
        echo.started()
        echo.finished(outcome: "timeout", nanoseconds: Int64(3) * 1_000_000_000)
        // One gauge per server, whatever the kind of operation.
        #expect(await samples(metrics)[#"mcp_gateway_backend_calls_in_flight{server="beta"}"#] == 2)
    }

    @Test func scrapeStateSetsLiveSeriesAndDropsWhatIsGone() async {
        let metrics = GatewayMetrics()
        let present = Shared(["alpha", "beta"])
        let restarts = Shared(3)
        metrics.addCollector { scrape in
            for name in present.value {
                scrape.gauge("mcp_gateway_backend_up", help: "1 when running.", labels: [("server", name)], value: 1)
                scrape.counter("mcp_gateway_backend_restarts", help: "Restarts.", labels: [("server", name)], total: restarts.value)
            }
        }
        var s = await samples(metrics)
        #expect(s[#"mcp_gateway_backend_up{server="beta"}"#] == 1)
        #expect(s[#"mcp_gateway_backend_restarts_total{server="alpha"}"#] == 3)
        present.value = ["alpha"]
        restarts.value = 5
        s = await samples(metrics)
        #expect(s[#"mcp_gateway_backend_up{server="beta"}"#] == nil)
        #expect(s[#"mcp_gateway_backend_restarts_total{server="alpha"}"#] == 5)
        // A replaced backend counts from zero again: the counter keeps its total, never falls.
        restarts.value = 1
        s = await samples(metrics)
        #expect(s[#"mcp_gateway_backend_restarts_total{server="alpha"}"#] == 5)
        restarts.value = 2
        s = await samples(metrics)
        #expect(s[#"mcp_gateway_backend_restarts_total{server="alpha"}"#] == 6)
    }
}

/// A value a test changes between scrapes.
private final class Shared<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>
    init(_ value: Value) { stored = Mutex(value) }
    var value: Value {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
