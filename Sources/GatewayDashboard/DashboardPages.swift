// The dashboard's pages, each rendered from the gateway's live state for one viewer. What a
// viewer sees follows the same rules as everything else: a principal's scopes decide which
// backends, tools and search hits appear (a hidden backend's page is "not found", like an
// unknown one), and only admins see other principals' calls and audit lines and get the
// controls (restart, reload, approve), each form carrying the viewer's CSRF token.

import Foundation
import GatewayAuth
import GatewayBackends
import GatewayCore
import GatewayGovernance
import GatewayProfiles
import GatewayTelemetry
import Mustache

/// Who is looking, and what the page's forms need.
public struct DashboardViewer: Sendable {
    public var principal: Principal
    /// The token every admin form carries (DashboardCSRF).
    public var csrf: String
    /// The result of the action that redirected here.
    public var flash: String?
    /// Seen through a login session (/ui/login): the page offers "Log out".
    public var session: Bool

    public init(principal: Principal, csrf: String, flash: String? = nil, session: Bool = false) {
        self.principal = principal
        self.csrf = csrf
        self.flash = flash
        self.session = session
    }
}

public struct DashboardPages: Sendable {
    let gateway: Gateway
    let library: MustacheLibrary

    public init(gateway: Gateway) throws {
        self.gateway = gateway
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all { try library.register(text, named: name) }
        self.library = library
    }

    // MARK: Pages

    public func overview(_ viewer: DashboardViewer) async -> String {
        let view = gateway.dispatcher.view(for: viewer.principal)
        let breakers = gateway.breakers.isEnabled ? gateway.breakers.report() : [:]
        var rows: [[String: Any]] = []
        var up = 0
        for backend in gateway.pool.backends where view.isServerVisible(backend.name) {
            let status = await backend.status()
            if status.state == .running { up += 1 }
            rows.append([
                "name": status.name, "description": status.description, "state": status.state.rawValue,
                "transport": status.transport, "tools": status.toolCount.map(String.init) ?? "–",
                "breaker": gateway.breakers.isEnabled ? (breakers[status.name]?.state ?? "closed") : "–", "restarts": status.restarts,
                "lastError": status.lastError ?? "", "hasStderr": !status.stderrTail.isEmpty,
                "stderr": status.stderrTail.joined(separator: "\n"),
            ])
        }
        let window = DashboardSummary.window(gateway.callFeed, viewer: viewer)
        let summary: [String: Any] = [
            "backends": "\(up)/\(rows.count)", "tools": view.entries.count, "calls": window.calls,
            "errors": DashboardSummary.percent(window), "p95": DashboardSummary.milliseconds(window.p95Nanoseconds),
        ]
        return render("overview", viewer, title: "Overview", [
            "summary": summary, "backends": rows, "calls": callRows(viewer, limit: 20),
        ])
    }

    /// nil for an unknown backend or one the viewer may not see.
    public func backend(_ name: String, viewer: DashboardViewer) async -> String? {
        let view = gateway.dispatcher.view(for: viewer.principal)
        guard let backend = gateway.pool.backend(named: name), view.isServerVisible(name) else { return nil }
        let status = await backend.status()
        let totals = await gateway.profiles?.totals(server: name, days: 30)
        let tools: [[String: Any]] = view.tools(of: name).map { entry in
            let counts = totals?[ToolProfiles.ToolKey(server: name, tool: entry.tool.name)]
            let called = (counts?.calls ?? 0) > 0
            return [
                "name": entry.tool.name, "description": entry.summary, "calls": counts?.calls ?? 0,
                "errors": counts?.failures ?? 0,
                "p50": called ? DashboardSummary.milliseconds(counts?.latency.percentile(0.5)) : "–",
                "p95": called ? DashboardSummary.milliseconds(counts?.latency.percentile(0.95)) : "–",
                "lastUsed": called ? DashboardTime.day(Double(counts?.lastUsed ?? 0)) : "never",
                "pin": entry.pinChange == nil ? "" : "changed",
            ]
        }
        let pending = gateway.catalog.pinning.health()["pending"]?[name]?.arrayValue?.count ?? 0
        return render("backend", viewer, title: name, [
            "name": name, "description": status.description, "state": status.state.rawValue, "transport": status.transport,
            "tools": tools, "profiles": gateway.profiles != nil, "pending": pending > 0 ? String(pending) : false,
        ])
    }

    public func calls(_ viewer: DashboardViewer) -> String {
        render("calls", viewer, title: "Live calls", ["calls": callRows(viewer, limit: 100)])
    }

    public func audit(_ viewer: DashboardViewer, principal: String?, server: String?, outcome: String?) -> String {
        guard let destination = gateway.config.audit?.destination else {
            return render("audit", viewer, title: "Audit", ["enabled": false, "offReason": "The audit trail is off (no audit: section in the config)."])
        }
        guard case .file(let path) = destination else {
            return render("audit", viewer, title: "Audit", ["enabled": false,
                                                            "offReason": "The audit trail goes to \(destination.description), not a file this page can read."])
        }
        // Only admins read other principals' lines.
        let who = viewer.principal.isAdmin ? principal : viewer.principal.name
        let lines = DashboardAudit.tail(path: path, filter: AuditRecordFilter(principal: who, server: server, outcome: outcome), limit: 200)
        return render("audit", viewer, title: "Audit", [
            "enabled": true, "path": path, "shown": lines.count, "lines": lines,
            "filter": ["principal": principal ?? "", "server": server ?? "", "outcome": outcome ?? ""],
        ])
    }

    public func config(_ viewer: DashboardViewer) -> String {
        let reload = gateway.reloadStatus.current
        let status = reload.attemptedAt == nil ? "none yet" : (reload.errors.isEmpty ? "applied" : "refused")
        return render("config", viewer, title: "Config", [
            "path": gateway.config.sourcePath ?? "built-in default", "status": status,
            "attemptedAt": reload.attemptedAt.map { DashboardTime.second($0.timeIntervalSince1970) } ?? false,
            "errors": reload.errors, "pendingRestart": reload.pendingRestart,
        ])
    }

    public func search(_ viewer: DashboardViewer, query: String?) -> String {
        let query = query?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !query.isEmpty else { return render("search", viewer, title: "Search", ["query": "", "searched": false]) }
        let view = gateway.dispatcher.view(for: viewer.principal)
        let hits: [[String: Any]] = view.search(query, limit: 10).map { hit in
            var row: [String: Any] = ["server": hit.entry.server, "tool": hit.entry.tool.name, "description": hit.entry.summary,
                                      "score": String(format: "%.3f", hit.score)]
            // A query naming several needs: the part of it this hit answers.
            if let need = hit.need { row["need"] = need }
            return row
        }
        return render("search", viewer, title: "Search", [
            "query": query, "searched": true, "hits": hits, "hasHits": !hits.isEmpty, "total": view.entries.count,
        ])
    }

    public func notFound(_ viewer: DashboardViewer, message: String) -> String {
        render("missing", viewer, title: "Not found", ["message": message])
    }

    /// The login form, for nobody yet: `next` is where it goes back to (already checked),
    /// `error` what to say after a refused attempt.
    public func login(next: String, error: String?) -> String {
        var context: [String: Any] = ["page": "login", "title": "Log in", "admin": false, "next": next]
        if let error { context["error"] = error }
        return library.render(context, withTemplate: "login") ?? "template login missing"
    }

    /// `event: summary`'s data for the viewer.
    public func summaryJSON(_ viewer: DashboardViewer) async -> String {
        let view = gateway.dispatcher.view(for: viewer.principal)
        var states: [String: String] = [:]
        for backend in gateway.pool.backends where view.isServerVisible(backend.name) {
            states[backend.name] = await backend.status().state.rawValue
        }
        return DashboardSummary.json(states: states, tools: view.entries.count,
                                     window: DashboardSummary.window(gateway.callFeed, viewer: viewer))
    }

    /// Whether `viewer` may see `record` live (admins see every call, others their own).
    public static func shows(_ record: CallFeed.Record, to viewer: DashboardViewer) -> Bool {
        viewer.principal.isAdmin || record.principal == viewer.principal.name
    }

    // MARK: Rendering

    private func callRows(_ viewer: DashboardViewer, limit: Int) -> [[String: Any]] {
        guard let feed = gateway.callFeed else { return [] }
        let records = viewer.principal.isAdmin
            ? feed.recent(limit) : feed.recent(feed.capacity).filter { Self.shows($0, to: viewer) }.prefix(limit).map { $0 }
        return records.map { record in
            ["time": DashboardTime.second(record.at), "principal": record.principal, "server": record.server, "tool": record.tool,
             "duration": DashboardSummary.milliseconds(Double(record.nanoseconds) / 1e6), "outcome": record.outcome]
        }
    }

    private func render(_ page: String, _ viewer: DashboardViewer, title: String, _ values: [String: Any]) -> String {
        var context = values
        context["page"] = page
        context["title"] = title
        context["admin"] = viewer.principal.isAdmin
        context["principal"] = viewer.principal.name
        context["csrf"] = viewer.csrf
        context["session"] = viewer.session
        if let flash = viewer.flash { context["flash"] = flash }
        return library.render(context, withTemplate: page) ?? "template \(page) missing"
    }
}
