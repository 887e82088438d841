// The export tree's `auth:` (bearer token, API keys, OAuth) and `mtls:` sections. Secrets are
// the bearer token and each API key's `key`; a `key_sha256` is written as it is.

import MCPProtocol

extension ConfigTreeBuilder {
    func auth(_ settings: AuthSettings) -> JSONValue {
        var object = JSONObject()
        if let enabled = authEnabledKey(settings) { object["enabled"] = .bool(enabled) }
        object["allow_unauthenticated"] = .bool(settings.allowUnauthenticated)
        object["bearer_token"] = bearerToken(settings.bearerToken)
        object["public_paths"] = texts(settings.publicPaths)
        object["api_keys"] = .array(settings.apiKeys.map(apiKey))
        object["oauth"] = settings.oauth.map(oauth) ?? Self.switchedOff
        object["stdio_principal"] = text(settings.stdioPrincipal)
        return .object(object)
    }

    /// `enabled`, or nil to leave it out. An `auth:` written with `enabled: false` is read as
    /// switched off: only `allow_unauthenticated` is read, every other key keeps its default.
    /// So `false` is written only when the others hold their defaults anyway; otherwise the key
    /// is left out and the decoder finds it false again (no identity means off).
    /// Not round-tripped: identities with `enabled: false` (reachable only through `enabled:
    /// ${VAR}`, which the switched-off check does not expand). `enabled: false` is written, so
    /// the export keeps authentication off, and the identities, which are not checked, load empty.
    private func authEnabledKey(_ settings: AuthSettings) -> Bool? {
        if settings.enabled { return true }
        let hasIdentities = settings.bearerToken != nil || !settings.apiKeys.isEmpty || settings.oauth != nil
        let defaults = AuthSettings()
        let othersAtDefaults = settings.publicPaths == defaults.publicPaths && settings.stdioPrincipal == defaults.stdioPrincipal
        return hasIdentities || othersAtDefaults ? false : nil
    }

    /// `auto` (made at start) is no secret; a token is. A token that is literally `env:NAME`
    /// would be read as a variable's name on load: such a value cannot be written back.
    private func bearerToken(_ token: BearerTokenSetting?) -> JSONValue {
        switch token {
        case nil: return .null
        case .generated: return .string("auto")
        case .value(let value): return secret(value)
        }
    }

    private func apiKey(_ key: APIKeySettings) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", text(key.name))]
        if let value = key.key { members.append(("key", secret(value))) }
        if let digest = key.keySHA256 { members.append(("key_sha256", .string(digest))) }
        members.append(("admin", .bool(key.admin)))
        return .object(JSONObject(members + ruleMembers(key.rules)))
    }

    private func oauth(_ settings: OAuthSettings) -> JSONValue {
        .object(JSONObject([
            ("enabled", .bool(true)),
            ("issuer", text(settings.issuer)),
            ("audience", text(settings.audience)),
            ("jwks_url", optional(settings.jwksURL, text)),
            ("required_scopes", texts(settings.requiredScopes)),
            ("principal_claim", text(settings.principalClaim)),
            ("groups_claim", text(settings.groupsClaim)),
            ("admin_groups", texts(settings.adminGroups)),
            ("leeway", duration(.seconds(settings.leewaySeconds))),
            ("cache_size", count(settings.cacheSize)),
            ("refetch_interval", duration(.seconds(settings.refetchIntervalSeconds))),
        ]))
    }

    /// `{enabled: false}` when TLS is off. Without a client CA, `client_principal` and
    /// `admin_principals` are load errors (nothing would read them), so they are written only with one.
    func mtls(_ settings: TLSSettings?) -> JSONValue {
        guard let settings else { return Self.switchedOff }
        var object = JSONObject([
            ("enabled", .bool(true)),
            ("server_cert", text(settings.serverCertificatePath)),
            ("server_key", text(settings.serverKeyPath)),
        ])
        if let caPath = settings.clientCAPath {
            object["ca_cert"] = text(caPath)
            object["require_client_cert"] = .bool(settings.requireClientCertificate)
            object["client_principal"] = .string(settings.clientPrincipal.rawValue)
            object["admin_principals"] = texts(settings.adminPrincipals)
        } else {
            object["require_client_cert"] = .bool(settings.requireClientCertificate)
        }
        object["reload_interval"] = duration(settings.reloadInterval)
        return .object(object)
    }
}
