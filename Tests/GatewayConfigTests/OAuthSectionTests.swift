// `auth.oauth`: a full section loads with its defaults filled, it alone turns authentication on,
// and each mistake (missing issuer or audience, plain http to a remote host, an audience that is
// not a URL, a long leeway, a scope with a space, an unknown key) is an error at its line.

import Testing
@testable import GatewayConfig

@Suite struct OAuthSectionTests {
    @Test func fullSectionLoads() throws {
        let yaml = """
            auth:
              oauth:
                issuer: https://login.example.com/tenant
                audience: https://gateway.example.com/mcp
                jwks_url: https://login.example.com/tenant/keys
                required_scopes: [mcp:tools, mcp:read]
                principal_claim: email
                groups_claim: roles
                admin_groups: [gateway-admins]
                leeway: 10s
                cache_size: 500
                refetch_interval: 2m
            """
        let result = parse(yaml)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let auth = try #require(result.config?.auth)
        #expect(auth.isRequired)
        #expect(auth.oauth == OAuthSettings(
            issuer: "https://login.example.com/tenant", audience: "https://gateway.example.com/mcp",
            jwksURL: "https://login.example.com/tenant/keys", requiredScopes: ["mcp:tools", "mcp:read"],
            principalClaim: "email", groupsClaim: "roles", adminGroups: ["gateway-admins"], leewaySeconds: 10,
            cacheSize: 500, refetchIntervalSeconds: 120))
    }

    @Test func defaultsAndLoopbackHTTP() throws {
        let yaml = "auth:\n  oauth: {issuer: \"http://127.0.0.1:9000\", audience: \"http://localhost:8080/mcp\"}\n"
        let result = parse(yaml)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let oauth = try #require(result.config?.auth.oauth)
        #expect(oauth == OAuthSettings(issuer: "http://127.0.0.1:9000", audience: "http://localhost:8080/mcp"))
        #expect(oauth.principalClaim == "sub" && oauth.groupsClaim == "groups" && oauth.leewaySeconds == 30)
        #expect(oauth.jwksURL == nil && oauth.requiredScopes.isEmpty)
        #expect(oauth.cacheSize == 10_000 && oauth.refetchIntervalSeconds == 60)
    }

    @Test func switchedOffAsksForNothing() throws {
        let result = parse("auth:\n  oauth: {enabled: false, issuer: nonsense}\n")
        #expect(result.errors.isEmpty, "\(result.errors)")
        let auth = try #require(result.config?.auth)
        #expect(auth.oauth == nil && !auth.isRequired)
    }

    @Test func mistakesAreErrorsAtTheirLines() {
        let good = "issuer: https://id.example.com, audience: https://gw.example.com/mcp"
        let cases: [(String, String, String)] = [
            ("{audience: https://gw.example.com/mcp}", "auth.oauth.issuer", "needs 'issuer'"),
            ("{issuer: https://id.example.com}", "auth.oauth.audience", "needs 'audience'"),
            ("{issuer: http://id.example.com, audience: https://gw.example.com/mcp}", "auth.oauth.issuer", "must use https"),
            ("{issuer: \"https://id.example.com?tenant=1\", audience: https://gw.example.com/mcp}", "auth.oauth.issuer", "without a query"),
            ("{issuer: ftp://id.example.com, audience: https://gw.example.com/mcp}", "auth.oauth.issuer", "expected an https URL"),
            ("{\(good), jwks_url: http://10.0.0.5/keys}", "auth.oauth.jwks_url", "must use https"),
            ("{\(good), jwks_url: keys.json}", "auth.oauth.jwks_url", "expected an https URL"),
            ("{issuer: https://id.example.com, audience: my-api}", "auth.oauth.audience", "absolute http(s) URL"),
            ("{issuer: https://id.example.com, audience: \"https://gw.example.com/mcp#x\"}", "auth.oauth.audience", "without a query"),
            ("{issuer: https://id.example.com, audience: \"\"}", "auth.oauth.audience", "absolute http(s) URL"),
            ("{\(good), leeway: 10m}", "auth.oauth.leeway", "longer than 5m"),
            ("{\(good), leeway: soon}", "auth.oauth.leeway", "a duration"),
            ("{\(good), cache_size: 0}", "auth.oauth.cache_size", "a whole number from 1 to 1000000"),
            ("{\(good), cache_size: lots}", "auth.oauth.cache_size", "a whole number"),
            ("{\(good), refetch_interval: 5s}", "auth.oauth.refetch_interval", "10s to 1h"),
            ("{\(good), refetch_interval: 2h}", "auth.oauth.refetch_interval", "10s to 1h"),
            ("{\(good), required_scopes: [\"a b\"]}", "auth.oauth.required_scopes[0]", "without spaces"),
            ("{\(good), required_scopes: mcp}", "auth.oauth.required_scopes", "a list of strings"),
            ("{\(good), admin_groups: [\"\"]}", "auth.oauth.admin_groups[0]", "without spaces"),
            ("{\(good), principal_claim: \"\"}", "auth.oauth.principal_claim", "a claim name"),
            ("{\(good), audiance: x}", "auth.oauth.audiance", "did you mean 'audience'"),
            ("https://id.example.com", "auth.oauth", "expected a mapping"),
        ]
        for (oauth, path, text) in cases {
            let yaml = "server: {port: 8080}\nauth:\n  oauth: \(oauth)\n"
            let result = parse(yaml)
            #expect(result.config == nil, "\(yaml)")
            let error = result.error(at: path)
            #expect(error?.message.contains(text) == true, "\(yaml): \(result.errors)")
            #expect(error?.line == 3, "\(yaml): \(result.errors)")
        }
    }

    @Test func webURLParts() throws {
        let url = try #require(WebURL("HTTPS://Gateway.Example.com:8443/mcp/v1?x=1"))
        #expect(url.scheme == "https" && url.host == "gateway.example.com" && url.port == 8443)
        #expect(url.path == "/mcp/v1" && url.hasQueryOrFragment && url.origin == "https://gateway.example.com:8443")
        let ipv6 = try #require(WebURL("http://[::1]:9000"))
        #expect(ipv6.host == "[::1]" && ipv6.port == 9000 && ipv6.path == "")
        for bad in ["https://", "https://user@host/", "https://host:0/", "https://host:99999", "host/path", "https://a b/"] {
            #expect(WebURL(bad) == nil, "\(bad)")
        }
    }
}
