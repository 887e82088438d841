// The HTTP front end's one gate: every request, on every route, on the lean POST path and on
// the WebSocket upgrade, gets its Principal here or is refused here (401/403 with
// `WWW-Authenticate`). The routed path asks before the router runs, so no route can be added
// that skips it; the lean path takes a request only when the gate admits it without I/O and
// hands everything else (refusals included) to the routed path, so one code path writes
// every refusal of a routed request. Under /ui it also follows DashboardAccess (the login
// session cookie, the login page, the redirect of a browser to it); on the routed path only,
// as the lean path and the WebSocket upgrade never serve /ui.

import GatewayAuth
import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOCore
import NIOHTTP1

struct RequestGate: Sendable {
    /// The Authenticator in force (a reload swaps it); each decision reads it once.
    let box: AuthenticatorBox
    /// Whether connections can carry client certificates (TLS with a client CA).
    let peersHaveCertificates: Bool
    /// `webhooks.base_path` + "/": posts there carry their own credential (an HMAC signature
    /// the webhook endpoint checks), so the gate lets them through as anonymous.
    let signedPathPrefix: String?
    /// The dashboard's rules; nil when it is off (`telemetry.dashboard: false`).
    let dashboard: DashboardAccess?

    /// Paths every caller may reach: RFC 9728 metadata must be readable before a client has a
    /// token, and `/ready` is for load balancers.
    static let alwaysPublic: Set<String> = ["/ready"]
    static let wellKnownPrefix = "/.well-known/oauth-protected-resource"

    enum Admission: Sendable {
        case allowed(Principal)
        case refused(Response)
    }

    /// Nobody to tell apart: no credentials checked, no certificates. Every request is the
    /// unauthenticated principal, without a header lookup.
    func isOpen(_ authenticator: Authenticator) -> Bool { !authenticator.isRequired && !peersHaveCertificates }

    init(authenticator: Authenticator, peersHaveCertificates: Bool, dashboard: DashboardAccess? = nil) {
        self.init(box: AuthenticatorBox(authenticator), peersHaveCertificates: peersHaveCertificates, dashboard: dashboard)
    }

    init(box: AuthenticatorBox, peersHaveCertificates: Bool, dashboard: DashboardAccess? = nil, signedPathPrefix: String? = nil) {
        self.signedPathPrefix = signedPathPrefix
        self.box = box
        self.peersHaveCertificates = peersHaveCertificates
        self.dashboard = dashboard
    }

    /// The decision for a request on the routed path (any route).
    func admit(_ request: Request, channel: (any Channel)?) async -> Admission {
        let authenticator = box.current
        if isOpen(authenticator) { return .allowed(.unauthenticated) }
        // Sessions exist only where a credential is required (the login checks one).
        if authenticator.isRequired, let principal = dashboard?.sessionPrincipal(path: request.uri.path, headers: request.headers) {
            return .allowed(principal)
        }
        var peer: Principal?
        if peersHaveCertificates, let channel { peer = await ConnectionPeer.principal(of: channel) }
        let credentials = PresentedCredentials(authorization: request.headers[.authorization],
                                               apiKey: request.headers[Self.apiKeyField], peer: peer)
        switch withPublicPaths(await authenticator.decide(credentials), path: request.uri.path, authenticator) {
        case .allowed(let principal): return .allowed(principal)
        case .denied(let challenge):
            if dashboard != nil {
                if DashboardAccess.isPublic(request.method, path: request.uri.path) { return .allowed(.anonymous) }
                if let redirect = DashboardAccess.loginRedirect(request) { return .refused(redirect) }
            }
            return .refused(Self.refusal(challenge))
        }
    }

    /// The decision when it needs no I/O, on the connection's event loop; nil when a token
    /// must be verified first (`decision`).
    func decisionNow(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> AuthDecision? {
        let authenticator = box.current
        if isOpen(authenticator) { return .allowed(.unauthenticated) }
        return authenticator.decideNow(credentials(head, peer: peersHaveCertificates ? ConnectionPeer.principal(in: context) : nil))
            .map { withPublicPaths($0, path: head.uri, authenticator) }
    }

    /// The decision for a request head, verifying a token if needed.
    func decision(_ head: HTTPRequestHead, peer: Principal?) async -> AuthDecision {
        let authenticator = box.current
        return withPublicPaths(await authenticator.decide(credentials(head, peer: peer)), path: head.uri, authenticator)
    }

    /// The lean path's admission: a Principal when the request is admitted without I/O, nil
    /// when the routed path must decide (a token to verify, or a refusal to write).
    func admitNow(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> Principal? {
        if case .allowed(let principal) = decisionNow(head, context: context) { return principal }
        return nil
    }

    private func credentials(_ head: HTTPRequestHead, peer: Principal?) -> PresentedCredentials {
        PresentedCredentials(authorization: head.headers.first(name: "authorization"),
                             apiKey: head.headers.first(name: "x-api-key"), peer: peer)
    }

    /// A caller without a valid credential still reaches a public path, as nobody's admin.
    private func withPublicPaths(_ decision: AuthDecision, path: some StringProtocol, _ authenticator: Authenticator) -> AuthDecision {
        guard case .denied = decision else { return decision }
        let bare = path.firstIndex(of: "?").map { path[..<$0] } ?? path[...]
        if Self.alwaysPublic.contains(String(bare)) || bare.hasPrefix(Self.wellKnownPrefix) || authenticator.isPublic(path: bare)
            || signedPathPrefix.map({ bare.hasPrefix($0) }) == true {
            return .allowed(.anonymous)
        }
        return decision
    }

    static let apiKeyField = HTTPField.Name("X-API-Key")!

    /// The refusal: the challenge's status and header, and a JSON-RPC error body saying why.
    static func refusal(_ challenge: AuthChallenge) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge.wwwAuthenticate
        return HTTPReplies.json(refusalBody(challenge), status: HTTPResponse.Status(code: challenge.status), headers: headers)
    }

    static func refusalBody(_ challenge: AuthChallenge) -> [UInt8] {
        JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: challenge.message)
    }
}
