// `/ui`: the operator's dashboard. Every route is behind the gate (the responder admits the
// caller before any route) and the Origin/Host checks of every other route; pages are
// rendered per viewer by GatewayDashboard. Admin actions are form POSTs that need an admin and
// the viewer's CSRF token; each answers with a redirect to the page that shows its effect
// (post/redirect/get), the result named by a fixed code, never by text from the URL. Live
// updates are one SSE stream per open page (/ui/events): the caller's calls as they end and
// a summary every two seconds; streams end at shutdown (the endpoint is a service for that).
// A browser logs in at /ui/login (DashboardLogin); a page viewed through its session offers
// "Log out".

import Foundation
import GatewayAuth
import GatewayCore
import GatewayDashboard
import GatewayTelemetry
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

final class DashboardEndpoint: Service, Sendable {
    let gateway: Gateway
    let pages: DashboardPages
    let reloader: ConfigReloader
    let csrf: DashboardCSRF
    let logger: Logger
    /// Login, logout, and the sessions the gate accepts on /ui.
    let login: DashboardLogin
    let access: DashboardAccess
    private let streams = Mutex<(next: Int, open: [Int: AsyncStream<[UInt8]>.Continuation])>((0, [:]))

    /// A form body larger than this is refused (the forms hold a name and a token).
    static let maxFormBytes = 4096
    static let summaryInterval: Duration = .seconds(2)

    /// - Parameter secureCookie: the HTTP front end serves TLS (the session cookie is `Secure`).
    init(gateway: Gateway, reloader: ConfigReloader, identity: FrontEndIdentity, secureCookie: Bool, logger: Logger) throws {
        self.gateway = gateway
        let pages = try DashboardPages(gateway: gateway)
        self.pages = pages
        self.reloader = reloader
        self.logger = logger
        let csrf = DashboardCSRF()
        self.csrf = csrf
        login = DashboardLogin(pages: pages, sessions: identity.dashboardSessions, authenticators: identity.box, csrf: csrf,
                               secureCookie: secureCookie, logger: logger)
        access = DashboardAccess(sessions: identity.dashboardSessions)
    }

    func register(on router: Router<GatewayRequestContext>, guarding guardRequest: @escaping @Sendable (Request) -> Response?) {
        let page: (String, @escaping @Sendable (Request, DashboardViewer, GatewayRequestContext) async -> Response) -> Void = { path, body in
            router.get(RouterPath(path)) { [self] request, context in
                if let rejected = guardRequest(request) { return rejected }
                return await body(request, viewer(context.principal, request), context)
            }
        }
        page("/ui") { [self] _, viewer, _ in html(await pages.overview(viewer)) }
        page("/ui/backends/:name") { [self] _, viewer, context in
            let name = context.parameters.get("name") ?? ""
            guard let body = await pages.backend(name, viewer: viewer) else {
                return html(pages.notFound(viewer, message: "No backend named '\(name)'."), status: .notFound)
            }
            return html(body)
        }
        page("/ui/calls") { [self] _, viewer, _ in html(pages.calls(viewer)) }
        // Their forms are GET forms: the browser writes a space as `+`, which the URI's own
        // query parameters keep as a plus ("read+a+file" searched for no need split at all).
        page("/ui/audit") { [self] request, viewer, _ in
            let query = FormFields.parse(request.uri.query ?? "")
            let field: (String) -> String? = { name in query[name].flatMap { $0.isEmpty ? nil : $0 } }
            return html(pages.audit(viewer, principal: field("principal"), server: field("server"), outcome: field("outcome")))
        }
        page("/ui/config") { [self] _, viewer, _ in html(pages.config(viewer)) }
        page("/ui/search") { [self] request, viewer, _ in html(pages.search(viewer, query: FormFields.parse(request.uri.query ?? "")["q"])) }
        page("/ui/events") { [self] _, viewer, _ in events(for: viewer) }
        login.register(on: router, guarding: guardRequest)
        // The assets need no viewer (no CSRF token to compute); the gate and the checks still apply.
        for (path, text, type) in [("/ui/assets/dashboard.css", DashboardAssets.css, "text/css; charset=utf-8"),
                                   ("/ui/assets/dashboard.js", DashboardAssets.javascript, "text/javascript; charset=utf-8")] {
            let response = Self.asset(text, type: type)
            router.get(RouterPath(path)) { request, _ in guardRequest(request) ?? response }
        }

        for action in ["restart", "reload", "approve"] {
            router.post(RouterPath("/ui/actions/\(action)")) { [self] request, context in
                if let rejected = guardRequest(request) { return rejected }
                return await act(action, request: request, principal: context.principal)
            }
        }
    }

    // MARK: Pages

    private func viewer(_ principal: Principal, _ request: Request) -> DashboardViewer {
        DashboardViewer(principal: principal, csrf: csrf.token(for: principal), flash: flash(request.uri.queryParameters),
                        session: access.sessionPrincipal(path: request.uri.path, headers: request.headers) != nil)
    }

    /// The result an action's redirect names: fixed words, with only a known backend's name or
    /// a number filled in, so a crafted link cannot make the page say something else.
    private func flash(_ query: Parameters) -> String? {
        guard let done = query["done"] else { return nil }
        let backend = query["backend"].map(String.init).flatMap { gateway.pool.backend(named: $0)?.name }
        let count = query["count"].flatMap { Int(String($0)) }
        switch done {
        case "restarted": return backend.map { "restarted \($0)" }
        case "not_restarted": return backend.map { "\($0) is stopped or disabled: not restarted" }
        case "reloaded": return "config reloaded"
        case "refused": return "config refused: \(count ?? 0) errors (below)"
        case "no_file": return "no config file to reload (running on the built-in default)"
        case "approved": return backend.map { "approved \(count ?? 0) change(s) of \($0)" }
        case "nothing_pending": return backend.map { "nothing pending for \($0)" }
        default: return nil
        }
    }

    private func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Self.page(body, status: status)
    }

    /// An HTML page with the dashboard's headers (CSP, no caching).
    static func page(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = pageHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers = pageHeaders
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Nothing but the gateway's own scripts, styles and connections; never framed; not cached
    /// (pages hold live state and a CSRF token).
    static let pageHeaders: HTTPFields = {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        if let csp = HTTPField.Name("Content-Security-Policy") {
            headers[csp] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        if let nosniff = HTTPField.Name("X-Content-Type-Options") { headers[nosniff] = "nosniff" }
        // Not `no-referrer`: with it Chromium sends `Origin: null` on the forms' POSTs, which
        // the Origin check rightly refuses; `same-origin` keeps the real origin on them and
        // sends nothing to other sites.
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "same-origin" }
        return headers
    }()

    // MARK: Live events

    private func events(for viewer: DashboardViewer) -> Response {
        guard let feed = gateway.callFeed else { return html(pages.notFound(viewer, message: "No live feed."), status: .notFound) }
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let id = streams.withLock { state in
            let id = state.next
            state.next += 1
            state.open[id] = continuation
            return id
        }
        let pages = self.pages
        let calls = feed.subscribe()
        let task = Task {
            continuation.yield(Array("retry: 2000\n\n".utf8))
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await record in calls where DashboardPages.shows(record, to: viewer) {
                        continuation.yield(Self.event("call", DashboardSummary.json(record)))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        continuation.yield(Self.event("summary", await pages.summaryJSON(viewer)))
                        try? await Task.sleep(for: Self.summaryInterval)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        continuation.onTermination = { [weak self] _ in
            task.cancel()
            _ = self?.streams.withLock { $0.open.removeValue(forKey: id) }
        }
        // `no-store`: a page left for another must not be kept in the back/forward cache with
        // its stream open (six of them use up the browser's connections to the gateway).
        var headers = Self.pageHeaders
        headers[.cacheControl] = "no-store"
        return HTTPReplies.eventStream(stream, headers: headers)
    }

    private static func event(_ name: String, _ data: String) -> [UInt8] {
        Array("event: \(name)\ndata: \(data)\n\n".utf8)
    }

    /// Waits for shutdown, then ends every open event stream (the server would otherwise wait
    /// for them until its drain limit).
    func run() async throws {
        try? await gracefulShutdown()
        let open = streams.withLock { state in
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for stream in open { stream.finish() }
    }

    // MARK: Admin actions

    private func act(_ action: String, request: Request, principal: Principal) async -> Response {
        guard principal.isAdmin else { return Self.refusal("admin actions need an admin") }
        guard let form = await Self.form(request) else { return Self.refusal("form too large", status: .contentTooLarge) }
        guard csrf.isValid(form["csrf"], for: principal) else { return Self.refusal("missing or invalid CSRF token") }
        switch action {
        case "restart":
            guard let name = form["backend"], let backend = gateway.pool.backend(named: name) else {
                return Self.refusal("no such backend", status: .badRequest)
            }
            let restarted = await backend.restart(reason: "restarted from the dashboard by \(principal.name)")
            return Self.redirect("/ui", ["done": restarted ? "restarted" : "not_restarted", "backend": name])
        case "reload":
            logger.notice("config reload asked from the dashboard by \(principal.name)")
            switch reloader.reload() {
            case .applied: return Self.redirect("/ui/config", ["done": "reloaded"])
            case .refused(let errors): return Self.redirect("/ui/config", ["done": "refused", "count": String(errors.count)])
            case .noFile: return Self.redirect("/ui/config", ["done": "no_file"])
            }
        default:
            guard let server = form["server"], gateway.pool.backend(named: server) != nil else {
                return Self.refusal("no such backend", status: .badRequest)
            }
            let tool = form["tool"].flatMap { $0.isEmpty ? nil : $0 }
            do {
                let approved = try gateway.catalog.pinning.approve(server: server, tool: tool)
                logger.notice("pin changes approved from the dashboard by \(principal.name): \(approved.joined(separator: ", "))")
                return Self.redirect("/ui/backends/\(server)", ["done": approved.isEmpty ? "nothing_pending" : "approved", "backend": server,
                                                                "count": String(approved.count)])
            } catch {
                return Self.refusal("approval failed: \(error)", status: .conflict)
            }
        }
    }

    /// A form POST's fields; nil when the body is larger than `limit`.
    static func form(_ request: Request, upTo limit: Int = maxFormBytes) async -> [String: String]? {
        guard let buffer = try? await request.body.collect(upTo: limit) else { return nil }
        return FormFields.parse(String(buffer: buffer))
    }

    private static func redirect(_ path: String, _ query: [String: String]) -> Response {
        var components = URLComponents()
        components.path = path
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        var headers = HTTPFields()
        headers[.location] = components.string ?? path
        return Response(status: .seeOther, headers: headers)
    }

    static func refusal(_ reason: String, status: HTTPResponse.Status = .forbidden) -> Response {
        var headers = pageHeaders
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: reason + "\n")))
    }
}
