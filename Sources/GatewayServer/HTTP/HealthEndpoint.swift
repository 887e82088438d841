// `/health` (always 200 while serving, with a per-backend report) and `/ready` (503 until
// the configuration is loaded and warm start is done). With authentication on, only admins
// get the backend report (it names backends, transports and their last errors); everyone
// else gets the overall status.

import Foundation
import GatewayAuth
import GatewayCore
import GatewayGovernance
import Hummingbird
import MCPProtocol
import Synchronization

struct HealthEndpoint: Sendable {
    let gateway: Gateway
    let readiness: Readiness
    /// Callers are told apart (authentication, or required client certificates).
    let callersIdentified: @Sendable () -> Bool

    func health(for principal: Principal) async -> Response {
        let report = await fullReport()
        guard principal.isAdmin || !callersIdentified() else {
            return HTTPReplies.json(JSONWriter.encode(["status": report["status"] ?? "healthy"]))
        }
        return HTTPReplies.json(JSONWriter.encode(report))
    }

    private func fullReport() async -> JSONValue {
        var backends = JSONObject()
        var degraded = false
        // Breakers that are not closed (per backend, or per capability tool): open or half-open
        // is a degraded service.
        let allBreakers = gateway.breakers.report()
        let breakers = allBreakers.filter { $0.value.state != "closed" }
        if !breakers.isEmpty { degraded = true }
        for backend in gateway.pool.backends {
            let status = await backend.status()
            if status.state == .failed || (status.state == .running && status.lastError != nil) { degraded = true }
            let usage = gateway.usage.usage(of: status.name)
            var entry = JSONObject()
            entry["status"] = .string(status.state.rawValue)
            entry["transport"] = .string(status.transport)
            entry["tools"] = status.toolCount.map { .int($0) } ?? .null
            entry["last_error"] = status.lastError.map { .string($0) } ?? .null
            entry["calls"] = .int(usage.calls)
            entry["failures"] = .int(usage.failures)
            entry["restarts"] = .int(status.restarts)
            if let version = status.protocolVersion { entry["protocol_version"] = .string(version) }
            if gateway.breakers.isEnabled { entry["circuit"] = .string(allBreakers[status.name]?.state ?? "closed") }
            if status.missedPings > 0 { entry["missed_health_checks"] = .int(status.missedPings) }
            // Why a backend fails to start is often only on its stderr.
            if status.state == .failed || status.lastError != nil, !status.stderrTail.isEmpty {
                entry["stderr"] = .array(redacted(status.stderrTail).map { .string($0) })
            }
            backends[status.name] = .object(entry)
        }
        if let capabilities = gateway.capabilities {
            let broken = capabilities.problems.filter(\.isError)
            backends[capabilities.serverName] = [
                "status": "running", "transport": "capability", "tools": .int(capabilities.tools.count),
                "last_error": broken.isEmpty ? .null : .string("\(broken.count) broken capability file(s): \(broken[0])"),
                "calls": .int(gateway.usage.usage(of: capabilities.serverName).calls),
                "failures": .int(gateway.usage.usage(of: capabilities.serverName).failures),
            ]
        }
        var body = JSONObject([
            ("status", .string(degraded ? "degraded" : "healthy")),
            ("version", .string(GatewayVersion.current)),
            ("uptime_s", .double((gateway.uptimeSeconds * 10).rounded() / 10)),
            ("tools", .int(gateway.catalog.snapshot.entries.count)),
            ("backends", .object(backends)),
        ])
        if !breakers.isEmpty {
            var open = JSONObject()
            for (key, breaker) in breakers.sorted(by: { $0.key < $1.key }) {
                open[key] = ["state": .string(breaker.state), "because": breaker.lastFailure.map { .string($0) } ?? .null,
                             "opened": .int(breaker.opened)]
            }
            body["circuit_breakers"] = .object(open)
        }
        if let audit = gateway.audit { body["audit"] = AuditHealth.report(audit.state) }
        // A refused edit of the config file degrades the service: what runs is not what the
        // file says.
        let reload = gateway.reloadStatus.current
        if let attempted = reload.attemptedAt {
            var entry = JSONObject([("at", .string(ISO8601DateFormatter().string(from: attempted)))])
            entry["errors"] = .array(reload.errors.map { .string($0) })
            if !reload.pendingRestart.isEmpty { entry["pending_restart"] = .array(reload.pendingRestart.map { .string($0) }) }
            body["config_reload"] = .object(entry)
            if !reload.errors.isEmpty { body["status"] = "degraded" }
        }
        // Tool pinning: the mode and what waits for `mcp-gateway tools approve`.
        body["pinning"] = gateway.catalog.pinning.health()
        return .object(body)
    }

    /// A process's stderr may print a token: the gateway's own secrets and known credential
    /// shapes are masked, as in relayed results.
    private func redacted(_ lines: [String]) -> [String] {
        let scanner = SecretScanner(gatewaySecrets: ConfiguredSecrets.values(in: gateway.config))
        return lines.map { scanner.redact(text: $0)?.text ?? $0 }
    }

    func ready() -> Response {
        if readiness.isReady {
            return HTTPReplies.json(Array("{\"ready\":true}".utf8))
        }
        return HTTPReplies.json(Array("{\"ready\":false}".utf8), status: .serviceUnavailable)
    }
}

/// Flipped once startup (config, warm start) has finished.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)
    public init() {}
    public var isReady: Bool { ready.load(ordering: .acquiring) }
    public func markReady() { ready.store(true, ordering: .releasing) }
}
