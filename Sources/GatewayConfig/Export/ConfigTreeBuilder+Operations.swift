// The export tree's operator sections: `audit:` (null when there is no trail), `cost_governance:`
// (`{enabled: false}` when off), `telemetry:`, whose OTLP header values are secrets, and
// `webhooks:` (`{enabled: false}` when off), whose endpoint secrets are secrets.

import MCPProtocol

extension ConfigTreeBuilder {
    func audit(_ settings: AuditSettings) -> JSONValue {
        .object(JSONObject([
            ("path", text(settings.destination.description)),
            ("max_size", size(settings.maxSize)),
            ("keep", count(settings.keep)),
            ("include_arguments", texts(settings.includeArguments)),
        ]))
    }

    func costGovernance(_ settings: CostGovernanceSettings?) -> JSONValue {
        guard let settings else { return Self.switchedOff }
        let budget = { (budget: CostGovernanceSettings.Budget) in
            JSONValue.object(JSONObject([
                ("daily", optional(budget.daily, number)), ("monthly", optional(budget.monthly, number)),
            ]))
        }
        let alerts = settings.alerts.map { alert in
            JSONValue.object(JSONObject([("at_percent", number(alert.atPercent)), ("action", .string(alert.action.rawValue))]))
        }
        return .object(JSONObject([
            ("enabled", .bool(true)),
            ("currency", text(settings.currency)),
            ("default_cost", number(settings.defaultCost)),
            // Globs in the order written: the first match wins.
            ("tool_costs", .object(JSONObject(settings.toolCosts.map { ($0.glob, number($0.cost)) }))),
            ("budgets", .object(JSONObject([
                ("daily", optional(settings.principalBudget.daily, number)),
                ("monthly", optional(settings.principalBudget.monthly, number)),
                ("per_tool", .object(JSONObject(settings.perTool.map { ($0.glob, budget($0.budget)) }))),
                ("per_key", sortedObject(settings.perPrincipal, budget)),
            ]))),
            ("alerts", .array(alerts)),
        ]))
    }

    func telemetry(_ settings: TelemetrySettings) -> JSONValue {
        .object(JSONObject([
            ("metrics", .object(JSONObject([
                ("enabled", .bool(settings.metrics.enabled)), ("readers", texts(settings.metrics.readers)),
            ]))),
            ("profiles", .object(JSONObject([
                ("enabled", .bool(settings.profiles.enabled)), ("retention_days", count(settings.profiles.retentionDays)),
            ]))),
            ("otlp", optional(settings.otlp, otlp)),
            ("dashboard", .bool(settings.dashboard)),
        ]))
    }

    func webhooks(_ settings: WebhooksSettings?) -> JSONValue {
        guard let settings else { return Self.switchedOff }
        let endpoints = settings.endpoints.map { endpoint in
            (endpoint.id, JSONValue.object(JSONObject([
                ("description", text(endpoint.description)),
                ("secret", optional(endpoint.secret, secret)),
                ("signature_header", text(endpoint.signatureHeader)),
                ("timestamp_header", optional(endpoint.timestampHeader, text)),
                ("event_header", optional(endpoint.eventHeader, text)),
            ])))
        }
        return .object(JSONObject([
            ("enabled", .bool(true)),
            ("base_path", text(settings.basePath)),
            ("require_signature", .bool(settings.requireSignature)),
            ("rate_limit", count(settings.ratePerMinute)),
            ("max_body_size", size(settings.maxBodySize)),
            ("keep", count(settings.keep)),
            ("replay_window", duration(settings.replayWindow)),
            ("endpoints", .object(JSONObject(endpoints))),
        ]))
    }

    private func otlp(_ settings: TelemetrySettings.OTLP) -> JSONValue {
        .object(JSONObject([
            ("endpoint", text(settings.endpoint)),
            ("protocol", .string(settings.exportProtocol.rawValue)),
            ("headers", secrets(settings.headers)),
            ("sample_ratio", number(settings.sampleRatio)),
            ("service_name", text(settings.serviceName)),
        ]))
    }
}
