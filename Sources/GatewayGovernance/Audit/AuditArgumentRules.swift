// `audit.include_arguments`: the tools whose calls are logged with their arguments in full.
// A pattern is `server:tool` (globs on both sides) or a bare tool glob matching on any server,
// as the access lists read them.

import GatewayConfig

public struct AuditArgumentRules: Sendable {
    private let rules: [(server: Glob?, tool: Glob)]

    public init(patterns: [String]) {
        rules = patterns.map { pattern in
            guard let colon = pattern.firstIndex(of: ":") else { return (nil, Glob(pattern)) }
            return (Glob(String(pattern[..<colon])), Glob(String(pattern[pattern.index(after: colon)...])))
        }
    }

    public var isEmpty: Bool { rules.isEmpty }

    public func includes(server: String, tool: String) -> Bool {
        rules.contains { rule in rule.tool.matches(tool) && (rule.server?.matches(server) ?? true) }
    }
}
