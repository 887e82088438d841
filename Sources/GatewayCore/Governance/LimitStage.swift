// The call pipeline's rate and concurrency limits: every backend-bound operation asks the
// CallLimiter for admission and holds its concurrency slots until the backend answered. In
// the pipeline only when the config sets a limit (`CallLimiter.isNeeded`), so a gateway
// without limits pays nothing per call.

import GatewayConfig
import GatewayGovernance

public struct LimitStage: CallStage {
    public let limiter: CallLimiter

    public init(limiter: CallLimiter) {
        self.limiter = limiter
    }

    /// A limiter for `config`; `rules` gives the rule blocks that apply to a principal.
    public init(config: GatewayConfig, rules: @escaping CallLimiter.RuleBlocks) {
        limiter = CallLimiter(config: config, rules: rules)
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        switch await limiter.admit(principal: call.principal, server: call.server, tool: call.tool) {
        case .refused(let refusal):
            return .refused(refusal)
        case .admitted(let permit):
            let outcome = await next(call)
            permit.release()
            return outcome
        }
    }
}
