// The limits in force for one principal, from every rule block that applies to it (its API
// key entry, `policies` by name, group and scope). Where several blocks set the same limit
// the strictest wins (fail closed): the lowest `rate_limit` and `max_concurrent`; for one
// tool glob the lowest rate and burst. Different globs are all enforced.

import GatewayConfig

public struct PrincipalLimits: Sendable, Equatable {
    public struct ToolBucket: Sendable, Equatable {
        public var glob: Glob
        public var ratePerSecond: Double
        public var burst: Int
    }

    public var requestsPerMinute: Int?
    public var toolBuckets: [ToolBucket]
    public var maxConcurrent: Int?

    public init(requestsPerMinute: Int? = nil, toolBuckets: [ToolBucket] = [], maxConcurrent: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.toolBuckets = toolBuckets
        self.maxConcurrent = maxConcurrent
    }

    public init(blocks: [PrincipalRuleSettings]) {
        self.init()
        for block in blocks {
            if let perMinute = block.rateLimitPerMinute, perMinute > 0 {
                requestsPerMinute = min(requestsPerMinute ?? perMinute, perMinute)
            }
            if let limit = block.maxConcurrent {
                maxConcurrent = min(maxConcurrent ?? limit, limit)
            }
            for limit in block.toolRateLimits {
                if let index = toolBuckets.firstIndex(where: { $0.glob.pattern == limit.tool }) {
                    toolBuckets[index].ratePerSecond = min(toolBuckets[index].ratePerSecond, limit.rate)
                    toolBuckets[index].burst = min(toolBuckets[index].burst, limit.burst)
                } else {
                    toolBuckets.append(ToolBucket(glob: Glob(limit.tool), ratePerSecond: limit.rate, burst: limit.burst))
                }
            }
        }
    }

    public var isEmpty: Bool { requestsPerMinute == nil && toolBuckets.isEmpty && maxConcurrent == nil }

    /// True when any rule block of `config` sets a principal limit.
    public static func anyConfigured(_ config: GatewayConfig) -> Bool {
        let blocks = config.auth.apiKeys.map(\.rules) + config.policies.principals.values
            + config.policies.groups.values + config.policies.scopes.values
        return blocks.contains { !PrincipalLimits(blocks: [$0]).isEmpty }
    }
}
