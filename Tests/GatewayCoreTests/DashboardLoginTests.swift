// The dashboard's login pieces without a network: the session store (ids, lookup, absolute
// expiry, a JWT's own expiry, the cap, logout, dropping all), the `next` path a login goes back
// to (never another site), the session cookie read from Cookie headers and written to
// Set-Cookie, and the gate's rule that the cookie counts under /ui only and only without a
// credential header (the browser flow itself: Tests/interop/test_dashboard_login.py).

import Foundation
import GatewayAuth
import GatewayConfig
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
@testable import GatewayServer
import Testing

/// A clock the test moves.
final class TestClock: Sendable {
    private let seconds = Mutex<Double>(1_800_000_000)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

@Suite struct DashboardSessionsTests {
    let ops = Principal(name: "ops", method: .apiKey, isAdmin: true)
    let viewer = Principal(name: "viewer", method: .apiKey, isAdmin: false)

    @Test func aSessionNamesItsPrincipalByAnUnguessableId() throws {
        let sessions = DashboardSessions()
        let created = try #require(sessions.create(for: ops))
        #expect(created.id.count == 43 && created.id.utf8.allSatisfy { $0 != UInt8(ascii: "=") })
        #expect(created.maxAge == 8 * 3600)
        #expect(sessions.principal(for: created.id) === ops)
        let other = try #require(sessions.create(for: viewer))
        #expect(other.id != created.id)
        #expect(sessions.principal(for: other.id) === viewer)
        // Unknown, malformed, truncated, padded: nobody.
        #expect(sessions.principal(for: String(repeating: "A", count: 43)) == nil)
        #expect(sessions.principal(for: String(created.id.dropLast())) == nil)
        #expect(sessions.principal(for: created.id + "=") == nil)
        #expect(sessions.principal(for: "") == nil)
        #expect(sessions.principal(for: String(created.id.dropLast()) + "+") == nil)
    }

    @Test func aSessionEndsAfterItsLifetimeWhateverItsUse() throws {
        let clock = TestClock()
        let sessions = DashboardSessions(now: { clock.now })
        let created = try #require(sessions.create(for: ops))
        clock.advance(8 * 3600 - 1)
        #expect(sessions.principal(for: created.id) === ops)
        clock.advance(1)
        #expect(sessions.principal(for: created.id) == nil)
        #expect(sessions.count == 0, "an expired session is removed when met")
    }

    @Test func aJWTSessionEndsWithItsToken() throws {
        let clock = TestClock()
        let sessions = DashboardSessions(now: { clock.now })
        let alice = Principal(name: "alice", method: .oauth, isAdmin: false, expiresAt: clock.now + 600.5)
        let created = try #require(sessions.create(for: alice))
        #expect(created.maxAge == 600)
        clock.advance(600)
        #expect(sessions.principal(for: created.id) === alice)
        clock.advance(1)
        #expect(sessions.principal(for: created.id) == nil)
        // A token that outlives the lifetime is bounded by the lifetime.
        let long = Principal(name: "bob", method: .oauth, isAdmin: false, expiresAt: clock.now + 86_400)
        #expect(sessions.create(for: long)?.maxAge == 8 * 3600)
        // A token ending now gives nothing to keep.
        #expect(sessions.create(for: Principal(name: "old", method: .oauth, isAdmin: false, expiresAt: clock.now + 0.5)) == nil)
        #expect(sessions.create(for: Principal(name: "past", method: .oauth, isAdmin: false, expiresAt: clock.now - 10)) == nil)
    }

    @Test func beyondTheCapTheOldestSessionEnds() throws {
        let clock = TestClock()
        let sessions = DashboardSessions(capacity: 3, now: { clock.now })
        var ids: [String] = []
        for index in 0..<3 {
            ids.append(try #require(sessions.create(for: Principal(name: "p\(index)", method: .apiKey, isAdmin: false))).id)
            clock.advance(1)
        }
        let newest = try #require(sessions.create(for: ops))
        #expect(sessions.count == 3)
        #expect(sessions.principal(for: ids[0]) == nil, "the oldest ended")
        #expect(sessions.principal(for: ids[1])?.name == "p1" && sessions.principal(for: ids[2])?.name == "p2")
        #expect(sessions.principal(for: newest.id) === ops)
        // Expired sessions go first: nothing live is evicted while a dead one takes room.
        clock.advance(8 * 3600 - 1.5)  // p1 (made at +1) is past its lifetime; p2 (+2) and ops (+3) are not
        let another = try #require(sessions.create(for: viewer))
        #expect(sessions.principal(for: ids[2])?.name == "p2" && sessions.principal(for: newest.id) === ops)
        #expect(sessions.principal(for: another.id) === viewer)
    }

    @Test func logoutEndsOneSessionAndDropAllEndsEvery() throws {
        let sessions = DashboardSessions()
        let first = try #require(sessions.create(for: ops))
        let second = try #require(sessions.create(for: viewer))
        sessions.remove(first.id)
        #expect(sessions.principal(for: first.id) == nil && sessions.principal(for: second.id) === viewer)
        sessions.remove("not-a-session")
        let third = try #require(sessions.create(for: ops))
        sessions.dropAll()
        #expect(sessions.principal(for: second.id) == nil && sessions.principal(for: third.id) == nil && sessions.count == 0)
    }

    /// A reload that changes what the keys grant ends every session; one that changes nothing
    /// (the dashboard's own reload button on an unchanged file) keeps them.
    @Test func aReloadThatChangesTheKeysEndsEverySession() throws {
        let keys = [APIKeySettings(name: "ops", key: "ops-key-1234567890abcd", admin: true)]
        var config = GatewayConfig()
        config.auth = AuthSettings(enabled: true, apiKeys: keys)
        let identity = FrontEndIdentity(authenticator: Authenticator(settings: config.auth, bearerToken: nil))
        let kept = try #require(identity.dashboardSessions.create(for: ops))
        identity.reload(from: config)
        #expect(identity.dashboardSessions.principal(for: kept.id) === ops)

        config.auth.apiKeys = [APIKeySettings(name: "ops", key: "ops-key-1234567890abcd", admin: false)]
        identity.reload(from: config)
        #expect(identity.dashboardSessions.principal(for: kept.id) == nil, "ops is no admin any more")

        let again = try #require(identity.dashboardSessions.create(for: ops))
        config.auth.publicPaths = []
        identity.reload(from: config)  // a new Authenticator
        #expect(identity.dashboardSessions.principal(for: again.id) == nil)
    }
}

@Suite struct LoginTargetTests {
    @Test func dashboardPathsAreKept() {
        for path in ["/ui", "/ui/calls", "/ui/backends/alpha", "/ui/search?q=echo%20tool&x=1", "/ui/audit?principal=ops",
                     "/ui/", "/ui/search?q=a/b"] {
            #expect(LoginTarget.sanitized(path) == path, "\(path)")
        }
    }

    @Test func anythingElseGoesToTheOverview() {
        for next in [nil, "", "https://evil.example/", "//evil.example/ui", "/\\evil.example", "/ui\\..\\mcp", "http:/ui",
                     "/uievil", "/mcp", "/metrics", "ui/calls", " /ui", "/ui/calls\r\nSet-Cookie: x=y", "/ui/../mcp",
                     "/ui/./calls", "/ui/%2e%2e/mcp", "/ui/%2F%2Fevil", "/ui#frag", "/ui/\"><script>", "/ui/caf\u{E9}",
                     "/ui/login", "/ui/login?next=/ui/calls", "/ui/logout", String(repeating: "/ui", count: 1000)] {
            #expect(LoginTarget.sanitized(next) == "/ui", "\(next ?? "nil")")
        }
    }

    @Test func theLoginPageCarriesTheTargetEscaped() {
        #expect(LoginTarget.loginPage(returningTo: "/ui") == "/ui/login")
        #expect(LoginTarget.loginPage(returningTo: "/ui/search?q=a%20b&x=1") == "/ui/login?next=/ui/search%3Fq%3Da%2520b%26x%3D1")
        // Read back as a form field, it is the target again.
        let query = String(LoginTarget.loginPage(returningTo: "/ui/search?q=a%20b&x=1").split(separator: "?", maxSplits: 1)[1])
        #expect(FormFields.parse(query)["next"] == "/ui/search?q=a%20b&x=1")
    }
}

@Suite struct DashboardCookieTests {
    @Test func theCookieIsFoundAmongOthers() {
        #expect(DashboardCookie.values(inCookieFields: ["a=1; mcp_gateway_ui=abc; b=2"]) == ["abc"])
        #expect(DashboardCookie.values(inCookieFields: ["mcp_gateway_ui=abc"]) == ["abc"])
        #expect(DashboardCookie.values(inCookieFields: ["a=1;mcp_gateway_ui=\"abc\";b"]) == ["abc"])
        #expect(DashboardCookie.values(inCookieFields: ["theme=dark", "  mcp_gateway_ui = abc ; x=y"]) == ["abc"])
        // Several (one per matching path): every one, in order.
        #expect(DashboardCookie.values(inCookieFields: ["mcp_gateway_ui=one; mcp_gateway_ui=two", "mcp_gateway_ui=three"])
            == ["one", "two", "three"])
        // Not this cookie: another name that contains it, an empty value, no value.
        #expect(DashboardCookie.values(inCookieFields: ["xmcp_gateway_ui=abc; mcp_gateway_uix=abc; mcp_gateway_ui=; mcp_gateway_ui"]).isEmpty)
        #expect(DashboardCookie.values(inCookieFields: []).isEmpty)
        var headers = HTTPFields()
        headers[values: .cookie] = ["a=1", "mcp_gateway_ui=abc"]
        #expect(DashboardCookie.values(in: headers) == ["abc"])
    }

    @Test func setCookieHasTheSafeFlags() {
        #expect(DashboardCookie.set("ID", maxAge: 28_800, secure: false)
            == "mcp_gateway_ui=ID; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=28800")
        #expect(DashboardCookie.set("ID", maxAge: 60, secure: true)
            == "mcp_gateway_ui=ID; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=60; Secure")
        #expect(DashboardCookie.expired(secure: false) == "mcp_gateway_ui=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}

@Suite struct DashboardGateTests {
    let ops = Principal(name: "ops", method: .apiKey, isAdmin: true)
    static let key = "ops-key-1234567890abcd"

    func gate(_ sessions: DashboardSessions, required: Bool = true) -> RequestGate {
        let settings = AuthSettings(enabled: required, apiKeys: [APIKeySettings(name: "ops", key: Self.key, admin: true)])
        return RequestGate(authenticator: Authenticator(settings: settings, bearerToken: nil), peersHaveCertificates: false,
                           dashboard: DashboardAccess(sessions: sessions))
    }

    func request(_ method: HTTPRequest.Method = .get, _ path: String, _ headers: [HTTPField.Name: String] = [:]) -> Request {
        var fields = HTTPFields()
        for (name, value) in headers { fields[name] = value }
        let head = HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:39400", path: path, headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
    }

    func admitted(_ admission: RequestGate.Admission) -> Principal? {
        if case .allowed(let principal) = admission { return principal }
        return nil
    }

    func status(_ admission: RequestGate.Admission) -> (Int, String?) {
        if case .refused(let response) = admission { return (response.status.code, response.headers[.location]) }
        return (200, nil)
    }

    @Test func theCookieCountsUnderUIOnly() async throws {
        let sessions = DashboardSessions()
        let gate = gate(sessions)
        let id = try #require(sessions.create(for: ops)).id
        let cookie: [HTTPField.Name: String] = [.cookie: "theme=dark; \(DashboardCookie.name)=\(id)"]
        for path in ["/ui", "/ui/calls", "/ui/events", "/ui/actions/restart", "/ui/logout", "/ui/search?q=x"] {
            #expect(admitted(await gate.admit(request(path.hasPrefix("/ui/actions") || path == "/ui/logout" ? .post : .get, path, cookie),
                                              channel: nil)) === ops, "\(path)")
        }
        for (method, path) in [(HTTPRequest.Method.post, "/mcp"), (.get, "/mcp"), (.post, "/mcp/alpha"), (.get, "/metrics"),
                               (.get, "/ws"), (.get, "/sse"), (.post, "/messages"), (.get, "/uix"), (.get, "/ui/../metrics"),
                               (.get, "/UI"), (.get, "/")] {
            #expect(status(await gate.admit(request(method, path, cookie), channel: nil)).0 == 401, "\(method) \(path)")
        }
    }

    @Test func aCredentialHeaderIsWhatCounts() async throws {
        let sessions = DashboardSessions()
        let gate = gate(sessions)
        let id = try #require(sessions.create(for: ops)).id
        let cookie = "\(DashboardCookie.name)=\(id)"
        #expect(status(await gate.admit(request(.get, "/ui/calls", [.cookie: cookie, RequestGate.apiKeyField: "wrong"]), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.get, "/ui/calls", [.cookie: cookie, .authorization: "Bearer wrong"]), channel: nil)).0 == 401)
        let viaKey = admitted(await gate.admit(request(.get, "/ui", [.cookie: cookie, RequestGate.apiKeyField: Self.key]), channel: nil))
        #expect(viaKey?.name == "ops" && viaKey !== ops, "the key's principal, not the session's")
        // An unknown or expired cookie is no credential.
        #expect(status(await gate.admit(request(.get, "/ui", [.cookie: "\(DashboardCookie.name)=\(String(repeating: "x", count: 43))"]),
                                        channel: nil)).0 == 401)
        sessions.dropAll()
        #expect(status(await gate.admit(request(.get, "/ui", [.cookie: cookie]), channel: nil)).0 == 401)
    }

    @Test func withoutACredentialTheLoginAndAssetsAreReachableAndABrowserIsSentToLogIn() async {
        let gate = gate(DashboardSessions())
        for (method, path) in [(HTTPRequest.Method.get, "/ui/login"), (.get, "/ui/login?next=/ui/calls"), (.post, "/ui/login"),
                               (.get, "/ui/assets/dashboard.css"), (.get, "/ui/assets/dashboard.js")] {
            #expect(admitted(await gate.admit(request(method, path), channel: nil)) === Principal.anonymous, "\(method) \(path)")
        }
        let html: [HTTPField.Name: String] = [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]
        #expect(status(await gate.admit(request(.get, "/ui/calls", html), channel: nil)) == (303, "/ui/login?next=/ui/calls"))
        #expect(status(await gate.admit(request(.get, "/ui", html), channel: nil)) == (303, "/ui/login"))
        #expect(status(await gate.admit(request(.get, "/ui/search?q=a", html), channel: nil)) == (303, "/ui/login?next=/ui/search%3Fq%3Da"))
        // Not a browser's page load: the 401 stays.
        #expect(status(await gate.admit(request(.get, "/ui/calls"), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.get, "/ui/calls", [.accept: "application/json"]), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.get, "/ui/events", html), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.post, "/ui/actions/restart", html), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.post, "/ui/logout", html), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.get, "/mcp", html), channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.post, "/ui/assets/dashboard.js"), channel: nil)).0 == 401)
    }

    @Test func withoutTheDashboardNothingChanges() async throws {
        let sessions = DashboardSessions()
        let id = try #require(sessions.create(for: ops)).id
        let settings = AuthSettings(enabled: true, apiKeys: [APIKeySettings(name: "ops", key: Self.key, admin: true)])
        let gate = RequestGate(authenticator: Authenticator(settings: settings, bearerToken: nil), peersHaveCertificates: false)
        #expect(status(await gate.admit(request(.get, "/ui", [.cookie: "\(DashboardCookie.name)=\(id)", .accept: "text/html"]),
                                        channel: nil)).0 == 401)
        #expect(status(await gate.admit(request(.get, "/ui/login"), channel: nil)).0 == 401)
    }
}
