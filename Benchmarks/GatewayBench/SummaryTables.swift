// The tables of BENCHMARKS.md, built from the labelled lines run.sh records. A missing
// measurement shows as "—" so a partial run still prints.

import MCPProtocol

struct SummaryTables {
    let run: RunResults

    static let invokeMetrics: [(title: String, field: String, lowerIsBetter: Bool)] = [
        ("p50 ms", "p50_ms", true), ("p90 ms", "p90_ms", true), ("p99 ms", "p99_ms", true),
        ("throughput req/s", "throughput_rps", false),
    ]

    static let latencyRows: [(title: String, label: String)] = [
        ("search, 1,000 tools, c=1", "search-1k-c1"),
        ("search, 10,000 tools, c=1", "search-10k-c1"),
        ("search, 10,000 tools, c=32", "search-10k-c32"),
        ("gateway_invoke echo via stdio backend (1,000 tools), c=32", "invoke-stdio-1k-c32"),
        ("gateway_invoke echo via stdio backend (10,000 tools), c=32", "invoke-stdio-10k-c32"),
    ]

    func markdown() -> String {
        var out: [String] = []
        out.append("### gateway_invoke vs direct tools/call (echo, HTTP backend)\n")
        out.append("| concurrency | metric | direct | gateway | gateway − direct | gateway / direct |")
        out.append("|---|---|---|---|---|---|")
        for concurrency in [1, 32] {
            for metric in Self.invokeMetrics {
                let direct = run.number("invoke-direct-c\(concurrency)", metric.field)
                let gateway = run.number("invoke-gateway-c\(concurrency)", metric.field)
                let decimals = metric.lowerIsBetter ? 3 : 0
                let delta = metric.lowerIsBetter ? Self.difference(gateway, direct).map { Self.signed($0, decimals: 3) } : nil
                out.append("| \(concurrency) | \(metric.title) | \(Self.cell(direct, decimals)) | \(Self.cell(gateway, decimals)) | "
                    + "\(delta ?? "") | \(Self.cell(Self.ratio(gateway, direct), 2))× |")
            }
        }
        out.append("\n### Other latencies through the gateway\n")
        out.append("| what | requests | errors | p50 ms | p90 ms | p99 ms | max ms | req/s |")
        out.append("|---|---|---|---|---|---|---|---|")
        for row in Self.latencyRows {
            out.append("| \(row.title) | \(Self.cell(run.number(row.label, "count"), 0)) | \(Self.cell(run.number(row.label, "errors"), 0)) | "
                + "\(Self.cell(run.number(row.label, "p50_ms"), 3)) | \(Self.cell(run.number(row.label, "p90_ms"), 3)) | "
                + "\(Self.cell(run.number(row.label, "p99_ms"), 3)) | \(Self.cell(run.number(row.label, "max_ms"), 3)) | "
                + "\(Self.cell(run.number(row.label, "throughput_rps"), 0)) |")
        }
        out.append(contentsOf: coldStart())
        out.append(contentsOf: memory())
        out.append(contentsOf: context())
        return out.joined(separator: "\n")
    }

    private func coldStart() -> [String] {
        let label = "startup-10k"
        let runs = run.number(label, "runs").map { Report.format($0, decimals: 0) } ?? "—"
        return [
            "\n### Cold start (10,000-tool stdio backend, started lazily; \(runs) runs)\n",
            "| from spawn to | median ms | p99 ms |",
            "|---|---|---|",
            "| first 200 on /health | \(Self.cell(run.number(label, "health_median_ms"), 1)) | \(Self.cell(run.number(label, "health_p99_ms"), 1)) |",
            "| first gateway_search_tools answered | \(Self.cell(run.number(label, "first_search_median_ms"), 1)) | "
                + "\(Self.cell(run.number(label, "first_search_p99_ms"), 1)) |",
            "| first search answered with hits | \(Self.cell(run.number(label, "first_hit_median_ms"), 1)) | "
                + "\(Self.cell(run.number(label, "first_hit_p99_ms"), 1)) |",
        ]
    }

    private func memory() -> [String] {
        var out = ["\n### Gateway resident memory (VmRSS, MiB)\n", "| catalog | idle (no client yet) | after the load above |", "|---|---|---|"]
        for (title, key) in [("1,000 tools", "1k"), ("10,000 tools", "10k")] {
            let idle = run.number("rss-\(key)-idle", "kib").map { $0 / 1024 }
            let loaded = run.number("rss-\(key)-loaded", "kib").map { $0 / 1024 }
            out.append("| \(title) | \(Self.cell(idle, 1)) | \(Self.cell(loaded, 1)) |")
        }
        return out
    }

    private func context() -> [String] {
        let label = "context"
        var out = ["\n### Context a client pays (bytes; tokens ≈ bytes/4)\n", "| what | bytes | ≈ tokens |", "|---|---|---|"]
        let rows: [(String, String)] = [
            ("gateway: initialize result + tools/list", "surface_bytes"),
            ("one search round (params + result)", "search_round_bytes"),
            ("one invoke round (params + result)", "invoke_round_bytes"),
        ]
        for (title, field) in rows {
            let bytes = run.number(label, field)
            out.append("| \(title) | \(Self.cell(bytes, 0)) | \(Self.cell(bytes.map { ($0 / 4).rounded(.down) }, 0)) |")
        }
        if let flat = run.number(label, "fleet_flat_bytes") {
            let tools = run.number(label, "fleet_tools").map { Report.format($0, decimals: 0) } ?? "?"
            let servers = run.number(label, "fleet_servers").map { Report.format($0, decimals: 0) } ?? "?"
            out.append("| flat tools/list of the real fleet (\(tools) tools, \(servers) servers; name, description, inputSchema) | "
                + "\(Self.cell(flat, 0)) | \(Self.cell((flat / 4).rounded(.down), 0)) |")
            let wire = run.number(label, "fleet_wire_bytes")
            out.append("| the same with every field servers send (title, outputSchema, annotations) | \(Self.cell(wire, 0)) | "
                + "\(Self.cell(wire.map { ($0 / 4).rounded(.down) }, 0)) |")
            out.append("| flat fleet / gateway surface | \(Self.cell(run.number(label, "fleet_over_surface"), 1))× | |")
        } else {
            out.append("| flat tools/list of the real fleet | not measured: fleet tools.json absent | |")
        }
        return out
    }

    /// Headline numbers for latest.json.
    func derived() -> JSONObject {
        var object = JSONObject()
        for concurrency in [1, 32] {
            let direct = "invoke-direct-c\(concurrency)"
            let gateway = "invoke-gateway-c\(concurrency)"
            for (name, field) in [("p50", "p50_ms"), ("p99", "p99_ms")] {
                if let delta = Self.difference(run.number(gateway, field), run.number(direct, field)) {
                    object["invoke_c\(concurrency)_added_\(name)_ms"] = .double(Self.rounded(delta, 3))
                }
                if let ratio = Self.ratio(run.number(gateway, field), run.number(direct, field)) {
                    object["invoke_c\(concurrency)_\(name)_ratio"] = .double(Self.rounded(ratio, 3))
                }
            }
            if let ratio = Self.ratio(run.number(gateway, "throughput_rps"), run.number(direct, "throughput_rps")) {
                object["invoke_c\(concurrency)_throughput_ratio"] = .double(Self.rounded(ratio, 3))
            }
        }
        if let ratio = run.number("context", "fleet_over_surface") { object["context_fleet_over_surface"] = .double(ratio) }
        return object
    }

    static func difference(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b else { return nil }
        return a - b
    }

    static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b != 0 else { return nil }
        return a / b
    }

    static func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    static func cell(_ value: Double?, _ decimals: Int) -> String {
        value.map { Report.format($0, decimals: decimals) } ?? "—"
    }

    static func signed(_ value: Double, decimals: Int) -> String {
        (value >= 0 ? "+" : "") + Report.format(value, decimals: decimals)
    }
}
