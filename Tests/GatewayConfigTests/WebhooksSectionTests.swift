// `webhooks:`: its limits and endpoints are read; an endpoint without a secret, a short secret,
// a base path the gateway serves itself, and a backend named like the webhook server are errors
// at their lines.

import Testing
@testable import GatewayConfig

@Suite struct WebhooksSectionTests {
    @Test func everyKeyIsRead() throws {
        let result = parse("""
            webhooks:
              base_path: /hooks
              rate_limit: 30
              max_body_size: 1MiB
              keep: 10
              replay_window: 10m
              endpoints:
                github:
                  secret: ${SECRET}
                  signature_header: X-Hub-Signature-256
                  event_header: X-GitHub-Event
                  description: pushes
                stripe: {secret: "0123456789abcdef0123", timestamp_header: X-Timestamp}
            """, environment: ["SECRET": "abcdefghijklmnopqrstuvwxyz"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let webhooks = try #require(result.config?.webhooks)
        #expect(webhooks.basePath == "/hooks")
        #expect(webhooks.ratePerMinute == 30 && webhooks.maxBodySize == 1 << 20 && webhooks.keep == 10)
        #expect(webhooks.replayWindow == .seconds(600))
        #expect(webhooks.endpoints == [
            WebhookEndpointSettings(id: "github", description: "pushes", secret: "abcdefghijklmnopqrstuvwxyz",
                                    signatureHeader: "X-Hub-Signature-256", eventHeader: "X-GitHub-Event"),
            WebhookEndpointSettings(id: "stripe", secret: "0123456789abcdef0123", timestampHeader: "X-Timestamp"),
        ])
    }

    @Test func defaultsAndOff() throws {
        let on = try #require(parse("webhooks:\n  endpoints:\n    a: {secret: \"0123456789abcdef\"}\n").config?.webhooks)
        #expect(on.basePath == "/webhooks" && on.requireSignature && on.ratePerMinute == 100 && on.keep == 50)
        #expect(on.endpoints.first?.signatureHeader == "X-Signature-256")
        #expect(parse("webhooks: {enabled: false}\n").config?.webhooks == nil)
        #expect(parse("server: {port: 1}\n").config?.webhooks == nil)
    }

    @Test func unsignedEndpointsNeedToBeAskedFor() throws {
        let refused = parse("webhooks:\n  endpoints:\n    open: {description: x}\n")
        #expect(refused.singleError?.message.contains("needs a 'secret'") == true)
        #expect(refused.singleError?.line == 3)
        let allowed = parse("webhooks:\n  require_signature: false\n  endpoints:\n    open: {description: x}\n")
        #expect(allowed.errors.isEmpty)
        #expect(allowed.config?.webhooks?.endpoints.first?.secret == nil)
    }

    @Test func mistakesAreErrorsAtTheirLines() {
        let result = parse("""
            backends:
              webhooks: {command: x}
            webhooks:
              base_path: /mcp/hooks
              endpoints:
                short: {secret: abc}
                "bad id": {secret: "0123456789abcdef"}
                header: {secret: "0123456789abcdef", signature_header: "X Bad"}
            """)
        #expect(result.config == nil)
        #expect(result.error(at: "webhooks.base_path")?.message.contains("under '/mcp'") == true)
        #expect(result.error(at: "webhooks.endpoints.short.secret")?.message.contains("shorter than 16 bytes") == true)
        #expect(result.error(at: "webhooks.endpoints.bad id")?.message.contains("invalid webhook endpoint id") == true)
        #expect(result.error(at: "webhooks.endpoints.header.signature_header") != nil)
        #expect(result.error(at: "webhooks")?.message.contains("a backend is named 'webhooks'") == true)
    }
}
