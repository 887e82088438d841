// What the gate does differently under /ui, where people arrive with a browser rather than a
// client that sends a key: it accepts the dashboard's session cookie there (and only there,
// and only on a request that offers no Authorization or X-API-Key header: a cookie the browser
// adds to a cross-site request must never authenticate /mcp, /metrics or anything else), lets
// anyone reach the login page and the static assets, and sends a browser that asks for a page
// without a credential to the login page instead of a bare 401.

import GatewayAuth
import HTTPTypes
import Hummingbird

struct DashboardAccess: Sendable {
    let sessions: DashboardSessions

    static let assetsPrefix = "/ui/assets/"
    static let eventsPath = "/ui/events"

    /// The principal of the request's session cookie, or nil: not under /ui, a credential
    /// header present, no cookie, or none that names a live session.
    func sessionPrincipal(path: some StringProtocol, headers: HTTPFields) -> Principal? {
        guard LoginTarget.isDashboardPath(path), headers[.authorization] == nil, headers[RequestGate.apiKeyField] == nil else {
            return nil
        }
        for id in DashboardCookie.values(in: headers) {
            if let principal = sessions.principal(for: id) { return principal }
        }
        return nil
    }

    /// Reachable without a credential: the login page (its form and its POST) and the
    /// stylesheet and script, which hold no data.
    static func isPublic(_ method: HTTPRequest.Method, path: some StringProtocol) -> Bool {
        guard LoginTarget.isDashboardPath(path) else { return false }
        if path == LoginTarget.loginPath { return method == .get || method == .head || method == .post }
        return (method == .get || method == .head) && path.hasPrefix(assetsPrefix)
    }

    /// A browser's GET of a page without a credential: 303 to the login page, which comes
    /// back here once logged in. Nil for everything else (an API client, the event stream, a
    /// POST), which keeps its 401.
    static func loginRedirect(_ request: Request) -> Response? {
        let path = request.uri.path
        guard request.method == .get, LoginTarget.isDashboardPath(path), path != eventsPath,
              request.headers[values: .accept].contains(where: { $0.lowercased().contains("text/html") }) else { return nil }
        let target = LoginTarget.sanitized(request.uri.query.map { path + "?" + $0 } ?? path)
        return DashboardLogin.redirect(LoginTarget.loginPage(returningTo: target))
    }
}
