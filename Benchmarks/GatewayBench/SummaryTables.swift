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
        ("search, 1,000 tools, c=32", "search-1k-c32"),
        ("search, 10,000 tools, c=1", "search-10k-c1"),
        ("search, 10,000 tools, c=32", "search-10k-c32"),
        ("gateway_invoke echo via stdio backend (1,000 tools), c=32", "invoke-stdio-1k-c32"),
        ("gateway_invoke echo via stdio backend (10,000 tools), c=32", "invoke-stdio-10k-c32"),
    ]

    /// The invoke loads compared with a direct call: closed loops at c=1 and c=32, and c=32
    /// paced (when measured: clients that pause between calls, as agents do).
    var loads: [(title: String, suffix: String)] {
        var loads = [("1", "c1"), ("32", "c32")]
        if let rate = run.number("invoke-gateway-c32-paced", "rate") {
            loads.append(("32, paced at \(Report.format(rate, decimals: 0)) req/s", "c32-paced"))
        }
        return loads
    }

    func markdown() -> String {
        var out = cpuTables()
        if !out.isEmpty { out.append("") }
        out.append("### gateway_invoke vs direct tools/call (echo, HTTP backend)\n")
        let rounds = run.rounds("invoke-gateway-c32")
        if rounds > 1 {
            out.append("c=32: each figure is the median of \(rounds) interleaved rounds.\n")
        }
        out.append("| concurrency | metric | direct | gateway | gateway − direct | gateway / direct |")
        out.append("|---|---|---|---|---|---|")
        for load in loads {
            for metric in Self.invokeMetrics {
                let direct = run.number("invoke-direct-\(load.suffix)", metric.field)
                let gateway = run.number("invoke-gateway-\(load.suffix)", metric.field)
                let decimals = metric.lowerIsBetter ? 3 : 0
                let delta = metric.lowerIsBetter ? Self.difference(gateway, direct).map { Self.signed($0, decimals: 3) } : nil
                out.append("| \(load.title) | \(metric.title) | \(Self.cell(direct, decimals)) | \(Self.cell(gateway, decimals)) | "
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
        out.append(contentsOf: eras())
        out.append(contentsOf: echoCeiling())
        out.append(contentsOf: peerTables())
        out.append(contentsOf: coldStart())
        out.append(contentsOf: memory())
        out.append(contentsOf: context())
        return out.joined(separator: "\n")
    }

    private func coldStart() -> [String] {
        let label = "startup-10k"
        let runs = run.number(label, "runs").map { Report.format($0, decimals: 0) } ?? "—"
        return [
            "\n### Cold start (10,000-tool stdio backend, started lazily, no persisted catalog; \(runs) runs)\n",
            "| from spawn to | median ms | p99 ms |",
            "|---|---|---|",
            "| first 200 on /health | \(Self.cell(run.number(label, "health_median_ms"), 1)) | \(Self.cell(run.number(label, "health_p99_ms"), 1)) |",
            "| first gateway_search_tools answered | \(Self.cell(run.number(label, "first_search_median_ms"), 1)) | "
                + "\(Self.cell(run.number(label, "first_search_p99_ms"), 1)) |",
            "| first search answered with hits | \(Self.cell(run.number(label, "first_hit_median_ms"), 1)) | "
                + "\(Self.cell(run.number(label, "first_hit_p99_ms"), 1)) |",
        ] + persistedRestart()
    }

    /// The same probe when every start finds the catalog the previous one persisted.
    private func persistedRestart() -> [String] {
        let label = "startup-10k-persisted"
        guard run.line(label) != nil else { return [] }
        let runs = run.number(label, "runs").map { Report.format($0, decimals: 0) } ?? "—"
        return [
            "\n### Restart with the persisted catalog (same configuration; \(runs) runs)\n",
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
        for load in loads {
            let direct = "invoke-direct-\(load.suffix)"
            let gateway = "invoke-gateway-\(load.suffix)"
            let key = "invoke_" + load.suffix.split(separator: "-").joined(separator: "_")
            for (name, field) in [("p50", "p50_ms"), ("p99", "p99_ms")] {
                if let delta = Self.difference(run.number(gateway, field), run.number(direct, field)) {
                    object["\(key)_added_\(name)_ms"] = .double(Self.rounded(delta, 3))
                }
                if let ratio = Self.ratio(run.number(gateway, field), run.number(direct, field)) {
                    object["\(key)_\(name)_ratio"] = .double(Self.rounded(ratio, 3))
                }
            }
            if let ratio = Self.ratio(run.number(gateway, "throughput_rps"), run.number(direct, "throughput_rps")) {
                object["\(key)_throughput_ratio"] = .double(Self.rounded(ratio, 3))
            }
        }
        if let ratio = run.number("context", "fleet_over_surface") { object["context_fleet_over_surface"] = .double(ratio) }
        cpuDerived(into: &object)
        for concurrency in [1, 32] {
            let legacy = "invoke-gateway-c\(concurrency)", modern = "invoke-gateway-modern-c\(concurrency)"
            for (name, field) in [("p50", "p50_ms"), ("p99", "p99_ms")] {
                if let delta = Self.difference(run.number(modern, field), run.number(legacy, field)) {
                    object["era_c\(concurrency)_modern_minus_legacy_\(name)_ms"] = .double(Self.rounded(delta, 3))
                }
            }
            if let ratio = Self.ratio(run.number(modern, "throughput_rps"), run.number(legacy, "throughput_rps")) {
                object["era_c\(concurrency)_modern_over_legacy_throughput"] = .double(Self.rounded(ratio, 3))
            }
        }
        for row in Self.ceilingRows.dropFirst() {
            if let share = Self.ratio(run.number(row.label, "throughput_rps"), run.number("echo-c32", "throughput_rps")) {
                object["ceiling_share_\(row.label)"] = .double(Self.rounded(share, 3))
            }
        }
        if let fastest = fastestPeer() {
            object["fastest_peer"] = .string(fastest.row.label)
            object["fastest_peer_c32_rps"] = .double(Self.rounded(fastest.rps, 1))
            for ours in Self.ourInvokeRows {
                if let ratio = Self.ratio(run.number("\(ours.label)-c32", "throughput_rps"), fastest.rps) {
                    object["\(ours.label)_c32_over_fastest_peer"] = .double(Self.rounded(ratio, 2))
                }
            }
            if let ratio = Self.ratio(run.number("echo-c32", "throughput_rps"), fastest.rps) {
                object["echo_ceiling_c32_over_fastest_peer"] = .double(Self.rounded(ratio, 2))
            }
        }
        return object
    }

    // MARK: protocol eras, echo ceiling, peers

    private func eras() -> [String] {
        var out = ["\n### gateway_invoke by protocol era (echo, HTTP backend)\n",
                   "| concurrency | metric | legacy (2025-06-18, session) | 2026-07-28 (stateless) | 2026-07-28 − legacy | 2026-07-28 / legacy |",
                   "|---|---|---|---|---|---|"]
        for concurrency in [1, 32] {
            for metric in Self.invokeMetrics where metric.field != "p90_ms" {
                let legacy = run.number("invoke-gateway-c\(concurrency)", metric.field)
                let modern = run.number("invoke-gateway-modern-c\(concurrency)", metric.field)
                let decimals = metric.lowerIsBetter ? 3 : 0
                let delta = metric.lowerIsBetter ? Self.difference(modern, legacy).map { Self.signed($0, decimals: 3) } : nil
                out.append("| \(concurrency) | \(metric.title) | \(Self.cell(legacy, decimals)) | \(Self.cell(modern, decimals)) | "
                    + "\(delta ?? "") | \(Self.cell(Self.ratio(modern, legacy), 2))× |")
            }
        }
        return out
    }

    static let ceilingRows: [(title: String, label: String)] = [
        ("bare Hummingbird echo (`bench-backend --echo-http`): the ceiling", "echo-c32"),
        ("bench-backend's own tools/call echo (direct)", "invoke-direct-c32"),
        ("gateway_invoke, HTTP backend", "invoke-gateway-c32"),
        ("gateway_invoke, HTTP backend, 2026-07-28", "invoke-gateway-modern-c32"),
        ("gateway_invoke, stdio backend (1,000 tools)", "invoke-stdio-1k-c32"),
        ("gateway_search_tools, 1,000 tools", "search-1k-c32"),
        ("gateway_search_tools, 10,000 tools", "search-10k-c32"),
    ]

    private func echoCeiling() -> [String] {
        let ceiling = run.number("echo-c32", "throughput_rps")
        let rounds = run.rounds("echo-c32")
        var out = ["\n### Share of the machine's ceiling (c=32, same load generator)\n"]
        if rounds > 1 {
            out.append("Median of \(rounds) interleaved rounds (direct, legacy, 2026-07-28, echo in turn); a row measured "
                + "in the same rounds also shows its share of each round's echo. The other rows ran once, later.\n")
        }
        out += ["| what | req/s | % of the echo ceiling | % per round |", "|---|---|---|---|"]
        for row in Self.ceilingRows {
            let rps = run.number(row.label, "throughput_rps")
            out.append("| \(row.title) | \(Self.cell(rps, 0)) | \(Self.cell(Self.ratio(rps, ceiling).map { $0 * 100 }, 1))% | "
                + "\(perRoundShares(row.label)) |")
        }
        return out
    }

    /// Each round's share of the echo measured in the same round, when the row has those rounds.
    private func perRoundShares(_ label: String) -> String {
        let ours = run.roundNumbers(label, "throughput_rps"), echoes = run.roundNumbers("echo-c32", "throughput_rps")
        guard label != "echo-c32", ours.count > 1, ours.count == echoes.count else { return "" }
        return zip(ours, echoes).map { Report.format($0 / $1 * 100, decimals: 1) }.joined(separator: " / ")
    }

    struct PeerRow {
        var title: String
        var backend: String
        var tool: String
        var label: String
        /// The label prefix of our gateway's run with the same backend transport.
        var ours: String
    }

    static let ourInvokeRows: [PeerRow] = [
        PeerRow(title: "**mcp-gateway** (this repo)", backend: "Streamable HTTP", tool: "gateway_invoke", label: "invoke-gateway", ours: "invoke-gateway"),
        PeerRow(title: "**mcp-gateway** (this repo)", backend: "stdio", tool: "gateway_invoke", label: "invoke-gateway-stdio", ours: "invoke-gateway-stdio"),
    ]

    static let peerInvokeRows: [PeerRow] = [
        PeerRow(title: "fastmcp `create_proxy` (default: new backend session per request)", backend: "Streamable HTTP",
                tool: "echo", label: "peer-fastmcp", ours: "invoke-gateway"),
        PeerRow(title: "fastmcp `create_proxy` (one shared, connected backend session)", backend: "Streamable HTTP",
                tool: "echo", label: "peer-fastmcp-shared", ours: "invoke-gateway"),
        PeerRow(title: "fastmcp + `BM25SearchTransform` (shared session), via its `call_tool` (1,000 tools)", backend: "Streamable HTTP",
                tool: "call_tool", label: "peer-fastmcp-bm25-call", ours: "invoke-gateway"),
        PeerRow(title: "mcp-proxy (sparfenyuk)", backend: "stdio", tool: "echo", label: "peer-mcp-proxy", ours: "invoke-gateway-stdio"),
        PeerRow(title: "ContextForge (`mcpgateway`, SQLite, 1 worker)", backend: "Streamable HTTP",
                tool: "bench-echo", label: "peer-contextforge", ours: "invoke-gateway"),
    ]

    static let searchRows: [(title: String, catalog: String, label: String, ours: String)] = [
        ("**mcp-gateway** `gateway_search_tools`", "1,000", "search-1k", "search-1k"),
        ("fastmcp `BM25SearchTransform` `search_tools`", "1,000", "peer-fastmcp-bm25-search-1k", "search-1k"),
        ("**mcp-gateway** `gateway_search_tools`", "10,000", "search-10k", "search-10k"),
        ("fastmcp `BM25SearchTransform` `search_tools`", "10,000", "peer-fastmcp-bm25-search-10k", "search-10k"),
    ]

    /// The peer with the highest c=32 invoke throughput in this run.
    func fastestPeer() -> (row: PeerRow, rps: Double)? {
        Self.peerInvokeRows.compactMap { row in run.number("\(row.label)-c32", "throughput_rps").map { (row, $0) } }
            .max { $0.1 < $1.1 }
    }

    private func peerTables() -> [String] {
        let anyPeer = (Self.peerInvokeRows.map(\.label) + Self.searchRows.map(\.label))
            .contains { run.line("\($0)-c1") != nil || run.line("\($0)-c32") != nil }
        var out = ["\n### Peer gateways: gateway_invoke vs each peer's relay of the same echo\n"]
        guard anyPeer else {
            out.append("Not measured in this run (`PEERS=1 Benchmarks/run.sh` measures them).")
            return out + skippedPeers()
        }
        if let versions = run.lines(bench: "peer-versions").last {
            out.append("Peers as installed by `Benchmarks/peers/setup.sh` (\(versions["python"]?.stringValue ?? "Python ?")): "
                + "\(versions["versions"]?.stringValue ?? "?")\n")
        }
        out.append("| gateway | backend leg | tool called | c=1 p50 ms | c=1 p99 ms | c=32 p50 ms | c=32 p99 ms | c=32 req/s | "
            + "peer p50 ÷ ours (c=1) | ours ÷ peer req/s (c=32) |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for row in Self.ourInvokeRows + Self.peerInvokeRows {
            let isOurs = Self.ourInvokeRows.contains { $0.label == row.label }
            let c1 = "\(row.label)-c1", c32 = "\(row.label)-c32"
            guard run.line(c1) != nil || run.line(c32) != nil else { continue }
            let slower = isOurs ? "" : Self.times(Self.ratio(run.number(c1, "p50_ms"), run.number("\(row.ours)-c1", "p50_ms")), 1)
            let faster = isOurs ? "" : Self.times(Self.ratio(run.number("\(row.ours)-c32", "throughput_rps"), run.number(c32, "throughput_rps")), 1)
            out.append("| \(row.title) | \(row.backend) | `\(row.tool)` | \(Self.cell(run.number(c1, "p50_ms"), 3)) | "
                + "\(Self.cell(run.number(c1, "p99_ms"), 3)) | \(Self.cell(run.number(c32, "p50_ms"), 3)) | "
                + "\(Self.cell(run.number(c32, "p99_ms"), 3)) | \(Self.cell(run.number(c32, "throughput_rps"), 1)) | \(slower) | \(faster) |")
        }
        if let fastest = fastestPeer() {
            out.append("")
            var line = "Fastest peer at c=32: \(fastest.row.title) (\(fastest.row.backend) backend), "
                + "\(Report.format(fastest.rps, decimals: 1)) req/s. Ours at c=32:"
            for ours in Self.ourInvokeRows {
                let rps = run.number("\(ours.label)-c32", "throughput_rps")
                line += " \(ours.backend) backend \(Self.cell(rps, 0)) req/s = \(Self.times(Self.ratio(rps, fastest.rps), 1));"
            }
            out.append(String(line.dropLast()) + " (issue 5's bar: ≥ 20×).")
            if let ceiling = run.number("echo-c32", "throughput_rps") {
                out.append("The bare echo ceiling of the same run is \(Self.times(Self.ratio(ceiling, fastest.rps), 1)) that peer's "
                    + "throughput: the most any gateway could show against it on this machine with this load generator.")
            }
        }
        out.append("\n### Peer gateways: tool search (same synthetic catalogs, same 52 queries)\n")
        out.append("| engine | tools | c=1 p50 ms | c=1 p99 ms | c=32 p50 ms | c=32 req/s | requests at c=32 | ours ÷ peer req/s (c=32) |")
        out.append("|---|---|---|---|---|---|---|---|")
        for row in Self.searchRows {
            let c1 = "\(row.label)-c1", c32 = "\(row.label)-c32"
            guard run.line(c1) != nil || run.line(c32) != nil else { continue }
            let ratio = row.label == row.ours ? "" :
                Self.times(Self.ratio(run.number("\(row.ours)-c32", "throughput_rps"), run.number(c32, "throughput_rps")), 0)
            out.append("| \(row.title) | \(row.catalog) | \(Self.cell(run.number(c1, "p50_ms"), 3)) | \(Self.cell(run.number(c1, "p99_ms"), 3)) | "
                + "\(Self.cell(run.number(c32, "p50_ms"), 3)) | \(Self.cell(run.number(c32, "throughput_rps"), 1)) | "
                + "\(Self.cell(run.number(c32, "count"), 0)) | \(ratio) |")
        }
        let memory = Self.peerMemoryRows.filter { run.line($0.label) != nil }
        if !memory.isEmpty {
            out.append("\n### Peer gateways: resident memory after their load (VmRSS, MiB)\n")
            out.append("| process | MiB |")
            out.append("|---|---|")
            for row in memory {
                out.append("| \(row.title) | \(Self.cell(run.number(row.label, "kib").map { $0 / 1024 }, 1)) |")
            }
        }
        return out + skippedPeers()
    }

    static let peerMemoryRows: [(title: String, label: String)] = [
        ("mcp-gateway, HTTP backend (after the invoke load of the first table)", "rss-gateway-http"),
        ("mcp-gateway, stdio backend", "rss-gateway-stdio"),
        ("fastmcp proxy (new backend session per request)", "rss-peer-fastmcp"),
        ("fastmcp proxy (shared backend session)", "rss-peer-fastmcp-shared"),
        ("fastmcp + BM25, 1,000 tools", "rss-peer-fastmcp-bm25-1k"),
        ("fastmcp + BM25, 10,000 tools", "rss-peer-fastmcp-bm25-10k"),
        ("mcp-proxy", "rss-peer-mcp-proxy"),
        ("ContextForge", "rss-peer-contextforge"),
    ]

    /// Peers run.sh could not install or start, with its reason.
    private func skippedPeers() -> [String] {
        let notes = run.lines(bench: "peer-skipped").compactMap { line -> String? in
            guard let peer = line["peer"]?.stringValue else { return nil }
            return "- \(peer): not measured: \(line["reason"]?.stringValue ?? "?")"
        }
        return notes.isEmpty ? [] : [""] + notes
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

    /// "12.3×", or "—" when not measured.
    static func times(_ value: Double?, _ decimals: Int) -> String {
        value.map { Report.format($0, decimals: decimals) + "×" } ?? "—"
    }

    static func signed(_ value: Double, decimals: Int) -> String {
        (value >= 0 ? "+" : "") + Report.format(value, decimals: decimals)
    }
}
