// The export tree's `server:` (with `limits:`) and `meta_mcp:` sections.

import MCPProtocol

extension ConfigTreeBuilder {
    func server(_ settings: ServerSettings) -> JSONValue {
        .object(JSONObject([
            ("host", text(settings.host)),
            ("port", count(settings.port)),
            ("request_timeout", duration(settings.requestTimeout)),
            ("shutdown_timeout", duration(settings.shutdownTimeout)),
            ("max_body_size", size(settings.maxBodySize)),
            ("allowed_origins", texts(settings.allowedOrigins)),
            ("limits", serverLimits(settings.limits)),
        ]))
    }

    private func serverLimits(_ limits: ServerLimits) -> JSONValue {
        .object(JSONObject([
            ("max_sessions", count(limits.maxSessions)),
            ("session_idle_timeout", duration(limits.sessionIdleTimeout)),
            ("max_batch_size", count(limits.maxBatchSize)),
            ("journal_events", count(limits.journalEvents)),
            ("journal_bytes", size(limits.journalBytes)),
            ("outbound_buffer", size(limits.outboundBuffer)),
            ("header_timeout", duration(limits.headerTimeout)),
            ("idle_timeout", duration(limits.idleTimeout)),
            ("max_name_length", count(limits.maxNameLength)),
        ]))
    }

    func metaMCP(_ settings: MetaMCPSettings) -> JSONValue {
        let surfaced = settings.surfacedTools.map { tool in
            JSONValue.object(JSONObject([("server", text(tool.server)), ("tool", text(tool.tool))]))
        }
        return .object(JSONObject([
            ("enabled", .bool(settings.enabled)),
            ("cache_ttl", duration(settings.cacheTTL)),
            ("discovery_wait", duration(settings.discoveryWait)),
            ("surfaced_tools", .array(surfaced)),
            ("warm_start", texts(settings.warmStart)),
            ("search", .string(settings.search.rawValue)),
        ]))
    }
}
