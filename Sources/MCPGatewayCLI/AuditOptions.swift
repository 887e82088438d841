// What `serve` checks about `audit:` that depends on how it runs: with --stdio, stdout carries
// MCP, so a trail written there would corrupt the protocol stream. Refused, not redirected: an
// operator collecting stdout should learn the trail is not there.

import GatewayConfig

enum AuditOptions {
    static func stdioRefusal(_ config: GatewayConfig) -> String? {
        guard config.audit?.destination == .stdout else { return nil }
        let place = config.sourcePath.map { "\($0): " } ?? ""
        return "\(place)audit.path: 'stdout' carries MCP messages with --stdio; write the audit trail to a file or to 'stderr'"
    }
}
