// The dashboard's login and logout, for a browser that cannot send a key header itself.
// `GET /ui/login` shows a form with one password field; `POST /ui/login` checks what was typed
// with the gate's own Authenticator, presented as `Authorization: Bearer <credential>` (the gate
// takes API keys, the bearer token and JWTs that way alike), and on success starts a session
// (DashboardSessions) and sends the browser to the page it came for with the session cookie.
// A refusal shows the form again with a generic error and logs a warning that names neither
// the credential nor anything derived from it. `POST /ui/logout` needs the viewer's CSRF token,
// ends the session and expires the cookie. With authentication off there is nothing to log
// into: the login page sends the browser to /ui.

import Foundation
import GatewayAuth
import GatewayDashboard
import HTTPTypes
import Hummingbird
import Logging

struct DashboardLogin: Sendable {
    let pages: DashboardPages
    let sessions: DashboardSessions
    /// The gate's Authenticator, as a reload leaves it.
    let authenticators: AuthenticatorBox
    /// The dashboard's CSRF key (the same one its action forms use).
    let csrf: DashboardCSRF
    /// The HTTP front end serves TLS: the cookie is then `Secure`.
    let secureCookie: Bool
    let logger: Logger

    /// A login form holds the credential and a path; a JWT with many groups runs to several KB.
    static let maxFormBytes = 16 * 1024
    static let refusedMessage = "That API key or token was not accepted."

    func register(on router: Router<GatewayRequestContext>, guarding guardRequest: @escaping @Sendable (Request) -> Response?) {
        router.get(RouterPath(LoginTarget.loginPath)) { request, _ in
            if let rejected = guardRequest(request) { return rejected }
            return form(next: request.uri.queryParameters["next"].map(String.init))
        }
        router.post(RouterPath(LoginTarget.loginPath)) { request, context in
            if let rejected = guardRequest(request) { return rejected }
            return await logIn(request, peer: context.channel.remoteAddress.map { "\($0)" } ?? "?")
        }
        router.post(RouterPath(LoginTarget.logoutPath)) { request, context in
            if let rejected = guardRequest(request) { return rejected }
            return await logOut(request, principal: context.principal)
        }
    }

    private func form(next: String?) -> Response {
        guard authenticators.current.isRequired else { return Self.redirect(LoginTarget.home) }
        return DashboardEndpoint.page(pages.login(next: LoginTarget.sanitized(next), error: nil))
    }

    private func logIn(_ request: Request, peer: String) async -> Response {
        let authenticator = authenticators.current
        guard authenticator.isRequired else { return Self.redirect(LoginTarget.home) }
        guard let fields = await DashboardEndpoint.form(request, upTo: Self.maxFormBytes) else {
            return DashboardEndpoint.refusal("form too large", status: .contentTooLarge)
        }
        let next = LoginTarget.sanitized(fields["next"])
        let credential = fields["credential"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var refusal = "no credential given"
        if !credential.isEmpty {
            switch await authenticator.decide(PresentedCredentials(authorization: "Bearer " + credential)) {
            case .allowed(let principal) where principal.method != .unauthenticated:
                if let session = sessions.create(for: principal) {
                    logger.notice("dashboard login", metadata: ["principal": "\(principal.name)", "method": "\(principal.method.rawValue)"])
                    var response = Self.redirect(next)
                    response.headers[.setCookie] = DashboardCookie.set(session.id, maxAge: session.maxAge, secure: secureCookie)
                    return response
                }
                refusal = "the token expires within a second"
            case .allowed: refusal = "no principal"
            case .denied(let challenge): refusal = challenge.message
            }
        }
        // The reason is the gate's own message, which never repeats the token.
        logger.warning("dashboard login refused", metadata: ["peer": "\(peer)", "reason": "\(refusal)"])
        return DashboardEndpoint.page(pages.login(next: next, error: Self.refusedMessage), status: .unauthorized)
    }

    private func logOut(_ request: Request, principal: Principal) async -> Response {
        guard let fields = await DashboardEndpoint.form(request) else {
            return DashboardEndpoint.refusal("form too large", status: .contentTooLarge)
        }
        guard csrf.isValid(fields["csrf"], for: principal) else {
            return DashboardEndpoint.refusal("missing or invalid CSRF token")
        }
        for id in DashboardCookie.values(in: request.headers) { sessions.remove(id) }
        logger.notice("dashboard logout", metadata: ["principal": "\(principal.name)"])
        var response = Self.redirect(LoginTarget.loginPath)
        response.headers[.setCookie] = DashboardCookie.expired(secure: secureCookie)
        return response
    }

    /// 303 to `location` (a path of this gateway), not to be cached.
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}
