// The hardware a call needs (issue 16): CPU time per call of each gateway, the bare echo and
// the backend, on the same backend and load, with the bars that hold on any machine: our
// gateway_invoke at c=32 needs at most 1/20 of the most efficient peer's CPU per call and at
// most 2× the bare Hummingbird echo's per request, and adds at most +0.3 ms p50 / +1 ms p99 at
// c=1 and for 32 paced clients. Throughput at saturation measures the machine; CPU per call
// does not.

import MCPProtocol

extension SummaryTables {
    struct CPURow {
        var title: String
        var backend: String
        /// Label prefix; the loads append -c1, -c32, -c32-paced.
        var label: String
        var isPeer = false
    }

    static let cpuRows: [CPURow] = [
        CPURow(title: "bare Hummingbird echo (`bench-backend --echo-http`), per request", backend: "—", label: "echo"),
        CPURow(title: "bench-backend's own tools/call echo (the backend, called directly)", backend: "—", label: "invoke-direct"),
        CPURow(title: "bare SwiftNIO byte relay (`bench-backend --relay-tcp`): the floor of any relay here", backend: "Streamable HTTP",
               label: "relay-tcp"),
        CPURow(title: "bare SwiftNIO HTTP/1.1 relay (`--relay-http`: NIOHTTP1 codecs both ways, no MCP)", backend: "Streamable HTTP",
               label: "relay-http"),
        CPURow(title: "**mcp-gateway** `gateway_invoke`", backend: "Streamable HTTP", label: "invoke-gateway"),
        CPURow(title: "**mcp-gateway** `gateway_invoke`, 2026-07-28 client", backend: "Streamable HTTP", label: "invoke-gateway-modern"),
        CPURow(title: "**mcp-gateway** `gateway_invoke`", backend: "stdio", label: "invoke-gateway-stdio"),
        CPURow(title: "**mcp-gateway** `gateway_invoke`, 1,000-tool catalog", backend: "stdio", label: "invoke-stdio-1k"),
        CPURow(title: "**mcp-gateway** `gateway_search_tools`, 1,000 tools", backend: "stdio", label: "search-1k"),
        CPURow(title: "**mcp-gateway** `gateway_search_tools`, 10,000 tools", backend: "stdio", label: "search-10k"),
        CPURow(title: "fastmcp `create_proxy` (new backend session per request)", backend: "Streamable HTTP", label: "peer-fastmcp", isPeer: true),
        CPURow(title: "fastmcp `create_proxy` (shared backend session: its fastest)", backend: "Streamable HTTP", label: "peer-fastmcp-shared", isPeer: true),
        CPURow(title: "mcp-proxy (sparfenyuk)", backend: "stdio", label: "peer-mcp-proxy", isPeer: true),
        CPURow(title: "ContextForge (`mcpgateway`, SQLite, 1 worker)", backend: "Streamable HTTP", label: "peer-contextforge", isPeer: true),
        CPURow(title: "fastmcp + `BM25SearchTransform` `search_tools`, 1,000 tools", backend: "Streamable HTTP",
               label: "peer-fastmcp-bm25-search-1k", isPeer: true),
    ]

    /// The peers the invoke bar compares with (relays of one echo call).
    static let cpuInvokePeers = ["peer-fastmcp", "peer-fastmcp-shared", "peer-mcp-proxy", "peer-contextforge"]

    /// The peer relay with the least CPU per call at c=32 in this run.
    func mostEfficientPeer() -> (row: CPURow, micros: Double)? {
        Self.cpuRows.filter { Self.cpuInvokePeers.contains($0.label) }
            .compactMap { row in run.number("\(row.label)-c32", "cpu_us_per_call").map { (row, $0) } }
            .filter { $0.1 > 0 }
            .min { $0.1 < $1.1 }
    }

    func cpuTables() -> [String] {
        guard Self.cpuRows.contains(where: { run.number("\($0.label)-c32", "cpu_us_per_call") != nil }) else { return [] }
        var out = ["### CPU per call (issue 16): what each call costs the machine\n",
                   "CPU time (user + system) of the process under test and its children, from /proc (each thread's "
                   + "schedstat, in ns), during the measured phase, divided by the calls; the backend's CPU (its own process, "
                   + "or the `bench-backend` child of a stdio gateway) is counted apart. µs per call; a figure measured in "
                   + "several interleaved rounds is their median, with the range.\n",
                   "| what | backend leg | c=1 | c=32 | c=32 paced | backend's CPU at c=32 | most efficient peer ÷ this (c=32) | this ÷ bare echo (c=32) |",
                   "|---|---|---|---|---|---|---|---|"]
        let peer = mostEfficientPeer()
        let echo = run.number("echo-c32", "cpu_us_per_call")
        for row in Self.cpuRows {
            let c32 = run.number("\(row.label)-c32", "cpu_us_per_call")
            guard c32 != nil || run.number("\(row.label)-c1", "cpu_us_per_call") != nil else { continue }
            let versusPeer = row.isPeer || row.label == "echo" || row.label == "invoke-direct" ? "" : Self.times(Self.ratio(peer?.micros, c32), 1)
            let versusEcho = row.label == "echo" ? "" : Self.times(Self.ratio(c32, echo), 2)
            out.append("| \(row.title) | \(row.backend) | \(cpuCell("\(row.label)-c1")) | \(cpuCell("\(row.label)-c32")) | "
                + "\(cpuCell("\(row.label)-c32-paced")) | \(Self.cell(run.number("\(row.label)-c32", "backend_cpu_us_per_call"), 1)) | "
                + "\(versusPeer) | \(versusEcho) |")
        }
        out += cpuBars(peer: peer, echo: echo)
        return out
    }

    /// "12.3" or "12.3 (11.9–13.0)" over rounds; "—" when not measured.
    private func cpuCell(_ label: String) -> String {
        let rounds = run.roundNumbers(label, "cpu_us_per_call")
        guard let median = RunResults.median(rounds) else { return "—" }
        var text = Report.format(median, decimals: 1)
        if rounds.count > 1, let low = rounds.min(), let high = rounds.max() {
            text += " (\(Report.format(low, decimals: 1))–\(Report.format(high, decimals: 1)))"
        }
        if run.line(label)?["cpu_precise"] == .bool(false) { text += "*" }
        return text
    }

    private func cpuBars(peer: (row: CPURow, micros: Double)?, echo: Double?) -> [String] {
        var out = ["\n| bar (issue 16) | measured | met? |", "|---|---|---|"]
        for (label, leg) in [("invoke-gateway", "HTTP backend"), ("invoke-gateway-stdio", "stdio backend")] {
            let ours = run.number("\(label)-c32", "cpu_us_per_call")
            let ratio = Self.ratio(peer?.micros, ours)
            out.append("| `gateway_invoke` CPU per call at c=32 ≤ 1/20 of the most efficient peer's (\(leg)) | "
                + "\(Self.cell(ours, 1)) µs; \(peer.map { "\($0.row.title): \(Report.format($0.micros, decimals: 1)) µs" } ?? "no peer measured") "
                + "= \(Self.times(ratio, 1)) | \(Self.verdict(ratio.map { $0 >= 20 })) |")
        }
        for (label, what) in [("relay-tcp", "a bare SwiftNIO byte relay"), ("relay-http", "a bare SwiftNIO HTTP/1.1 relay")] {
            guard let floor = run.number("\(label)-c32", "cpu_us_per_call") else { continue }
            out.append("| for scale, not a bar: \(what) (no MCP) on the same backend and load, against the same peer | "
                + "\(Self.cell(floor, 1)) µs = \(Self.times(Self.ratio(peer?.micros, floor), 1)) | — |")
        }
        for (suffix, load) in [("c1", "c=1"), ("c32", "c=32"), ("c32-paced", "32 paced")] {
            let ours = run.number("invoke-gateway-\(suffix)", "cpu_us_per_call")
            let bare = run.number("echo-\(suffix)", "cpu_us_per_call")
            let ratio = Self.ratio(ours, bare)
            out.append("| `gateway_invoke` CPU per call ≤ 2× the bare echo's per request (\(load), HTTP backend) | "
                + "\(Self.cell(ours, 1)) ÷ \(Self.cell(bare, 1)) µs = \(Self.times(ratio, 2)) | \(Self.verdict(ratio.map { $0 <= 2 })) |")
        }
        for (suffix, load) in [("c1", "c=1"), ("c32-paced", "32 paced clients")] {
            let p50 = Self.difference(run.number("invoke-gateway-\(suffix)", "p50_ms"), run.number("invoke-direct-\(suffix)", "p50_ms"))
            let p99 = Self.difference(run.number("invoke-gateway-\(suffix)", "p99_ms"), run.number("invoke-direct-\(suffix)", "p99_ms"))
            let met = p50.flatMap { p50 in p99.map { p50 <= 0.3 && $0 <= 1 } }
            out.append("| added latency ≤ +0.3 ms p50, ≤ +1 ms p99 (\(load)) | \(p50.map { Self.signed($0, decimals: 3) } ?? "—") / "
                + "\(p99.map { Self.signed($0, decimals: 3) } ?? "—") ms | \(Self.verdict(met)) |")
        }
        if (run.lines(bench: "invoke") + run.lines(bench: "search")).contains(where: { $0["cpu_precise"] == .bool(false) }) {
            out.append("\n\\* partly counted in 10 ms clock ticks: a thread or child process of the tree ended during the phase.")
        }
        return out
    }

    static func verdict(_ met: Bool?) -> String {
        met.map { $0 ? "**yes**" : "**no**" } ?? "not measured"
    }

    /// Headline CPU ratios for latest.json.
    func cpuDerived(into object: inout JSONObject) {
        for row in Self.cpuRows {
            for suffix in ["c1", "c32", "c32-paced"] {
                if let micros = run.number("\(row.label)-\(suffix)", "cpu_us_per_call") {
                    object["cpu_us_\(row.label)_\(suffix)".replacingDashes()] = .double(Self.rounded(micros, 2))
                }
            }
        }
        if let peer = mostEfficientPeer() {
            object["cpu_most_efficient_peer"] = .string(peer.row.label)
            for label in ["invoke-gateway", "invoke-gateway-stdio"] {
                if let ratio = Self.ratio(peer.micros, run.number("\(label)-c32", "cpu_us_per_call")) {
                    object["cpu_peer_over_\(label)_c32".replacingDashes()] = .double(Self.rounded(ratio, 2))
                }
            }
        }
        for suffix in ["c1", "c32", "c32-paced"] {
            if let ratio = Self.ratio(run.number("invoke-gateway-\(suffix)", "cpu_us_per_call"), run.number("echo-\(suffix)", "cpu_us_per_call")) {
                object["cpu_gateway_over_echo_\(suffix)".replacingDashes()] = .double(Self.rounded(ratio, 3))
            }
        }
    }
}

extension String {
    /// A label as a JSON key: dashes become underscores.
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
