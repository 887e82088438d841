// The export tree's `backends:` section: one mapping per backend, in the file's order, with its
// transport written as `command` (always the argv list, which is taken as it is) or `http_url`
// and `transport`. Keys of the other kind of transport (`headers` of a stdio backend, `env` and
// `cwd` of a remote one) load with a warning, so they are written only when they hold something,
// which the original file then held too.

import MCPProtocol

extension ConfigTreeBuilder {
    func backend(_ backend: BackendSettings) -> JSONValue {
        var object = JSONObject()
        switch backend.transport {
        case .stdio(let command):
            object["command"] = texts(command)
        case .http(let url, let mode):
            object["http_url"] = text(url)
            object["transport"] = .string(mode.rawValue)
        case .webSocket(let url):
            object["http_url"] = text(url)
            object["transport"] = .string("websocket")
        }
        let stdio = backend.transport.isStdio
        object["description"] = text(backend.description)
        if stdio || !backend.env.isEmpty { object["env"] = secrets(backend.env) }
        if !stdio || !backend.headers.isEmpty { object["headers"] = secrets(backend.headers) }
        // Resolved against the config file's directory at load: absolute unless the file was named
        // by a relative path, which the CLI never does (it resolves --config first).
        if stdio || backend.cwd != nil { object["cwd"] = optional(backend.cwd, text) }
        // Always written: a backend without `timeout` has `server.request_timeout`, filled in at load.
        object["timeout"] = duration(backend.timeout)
        object["tool_timeouts"] = .object(JSONObject(backend.toolTimeouts.map { ($0.tool, duration($0.timeout)) }))
        object["idempotent_tools"] = texts(backend.idempotentTools)
        object["trust_annotations"] = .bool(backend.trustAnnotations)
        if stdio || backend.stopWhenIdleFor != nil { object["stop_when_idle_for"] = optional(backend.stopWhenIdleFor, duration) }
        object["roots"] = optional(backend.roots) { .array($0.map(root)) }
        for (key, value) in toolShaping(backend.shaping) { object[key] = value }
        object["enabled"] = .bool(backend.enabled)
        object["rate_limit"] = backendRateLimit(backend.limits)
        object["max_concurrent"] = optional(backend.limits.maxConcurrent, count)
        object["protocol_version"] = .string(protocolVersion(backend.protocolVersion))
        return .object(object)
    }

    /// A root without a name as its URI alone: the mapping form takes no null `name`.
    private func root(_ root: BackendRoot) -> JSONValue {
        guard let name = root.name else { return text(root.uri) }
        return .object(JSONObject([("uri", text(root.uri)), ("name", text(name))]))
    }

    /// Null: `failsafe.rate_limit` applies; `{enabled: false}`: exempt from it; else its own bucket.
    private func backendRateLimit(_ limits: BackendLimitSettings) -> JSONValue {
        if limits.rateLimitExempt { return Self.switchedOff }
        return optional(limits.rateLimit, rateLimit)
    }

    /// `{enabled: true, requests_per_second, burst_size}`: a backend's bucket and `failsafe.rate_limit`.
    func rateLimit(_ settings: BackendRateLimitSettings) -> JSONValue {
        .object(JSONObject([
            ("enabled", .bool(true)),
            ("requests_per_second", number(settings.requestsPerSecond)),
            ("burst_size", count(settings.burstSize)),
        ]))
    }

    private func protocolVersion(_ era: BackendProtocol) -> String {
        switch era {
        case .auto: return "auto"
        case .modern: return BackendProtocol.modernVersion
        case .handshake(let version): return version
        }
    }
}
