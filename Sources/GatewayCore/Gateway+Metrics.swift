// What `/metrics` reads off the gateway's live state at each scrape: the same sources as
// /health (backend status, breakers, catalog, audit trail, config reload), so the two never
// disagree, and nothing of it is paid for on the call path.

import GatewayBackends
import GatewayTelemetry
import MCPProtocol

extension Gateway {
    /// Registers the scrape-time reader of backends, breakers, catalog and audit state.
    func collectLiveState(into metrics: GatewayMetrics) {
        metrics.addCollector { [weak self] scrape in
            guard let self else { return }
            await self.collectBackends(scrape)
            self.collectGateway(scrape)
        }
    }

    private func collectBackends(_ scrape: ScrapeState) async {
        let states: [BackendState] = [.stopped, .starting, .running, .failed, .disabled]
        for backend in pool.backends {
            let status = await backend.status()
            let server = [("server", status.name)]
            for state in states {
                scrape.gauge("mcp_gateway_backend_state", help: "1 for the state each backend is in (stopped, starting, running, failed, disabled), 0 for the others.",
                             labels: server + [("state", state.rawValue)], value: status.state == state ? 1 : 0)
            }
            scrape.gauge("mcp_gateway_backend_up", help: "1 while a backend is running and its last exchange did not fail.",
                         labels: server, value: status.state == .running && status.lastError == nil ? 1 : 0)
            scrape.counter("mcp_gateway_backend_restarts", help: "Times a backend was started again after its process or connection ended.",
                           labels: server, total: status.restarts)
            if let tools = status.toolCount {
                scrape.gauge("mcp_gateway_backend_tools", help: "Tools a backend lists.", labels: server, value: Double(tools))
            }
            scrape.gauge("mcp_gateway_backend_missed_health_checks", help: "Health checks a running backend has missed in a row.",
                         labels: server, value: Double(status.missedPings))
        }
        if let capabilities {
            scrape.gauge("mcp_gateway_backend_tools", help: "Tools a backend lists.", labels: [("server", capabilities.serverName)],
                         value: Double(capabilities.tools.count))
        }
    }

    private func collectGateway(_ scrape: ScrapeState) {
        if breakers.isEnabled {
            let report = breakers.report()
            var keys = Set(report.keys)
            for backend in pool.backends { keys.insert(backend.name) }
            for key in keys.sorted() {
                let state = report[key]?.state ?? "closed"
                scrape.gauge("mcp_gateway_circuit_state", help: "Circuit breaker per backend (or capability tool): 0 closed, 1 open, 2 half-open.",
                             labels: [("server", key)], value: state == "open" ? 1 : state == "half_open" ? 2 : 0)
                scrape.counter("mcp_gateway_circuit_opened", help: "Times a circuit breaker opened.",
                               labels: [("server", key)], total: report[key]?.opened ?? 0)
            }
        }
        scrape.gauge("mcp_gateway_catalog_tools", help: "Tools in the catalog (every backend and capability, before scopes).",
                     value: Double(catalog.snapshot.entries.count))
        if let audit {
            let state = audit.state
            scrape.counter("mcp_gateway_audit_lines", help: "Audit lines written.", total: state.written)
            scrape.counter("mcp_gateway_audit_lines_dropped", help: "Audit lines dropped because the writer fell behind or failed.",
                           total: state.dropped)
        }
        scrape.gauge("mcp_gateway_config_reload_errors", help: "Problems of the last refused config reload (0 when the file in force is what runs).",
                     value: Double(reloadStatus.current.errors.count))
        scrape.gauge("mcp_gateway_uptime_seconds", help: "Seconds since the gateway started.", value: uptimeSeconds)
        scrape.gauge("mcp_gateway_build_info", help: "Always 1; the version is a label.",
                     labels: [("version", GatewayVersion.current)], value: 1)
    }
}
