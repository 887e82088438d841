// The audit trail's stage: first in the call pipeline, so it sees every operation that reaches
// a backend and every refusal of the stages after it (scopes, limits, budgets, pinning). On the
// call path it only takes the time and hands the trail references (principal, argument and
// result bytes); digesting, formatting and writing happen on the trail's writer. Without
// `audit:` the stage is not in the pipeline at all.

import GatewayBackends
import GatewayGovernance
import MCPProtocol

public struct AuditStage: CallStage {
    public let trail: AuditTrail
    let includeArguments: AuditArgumentRules

    public init(trail: AuditTrail) {
        self.trail = trail
        includeArguments = AuditArgumentRules(patterns: trail.settings.includeArguments)
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        let startedAt = AuditTimestamp.nowMilliseconds()
        let start = ContinuousClock.now
        let outcome = await next(call)
        let elapsed = (ContinuousClock.now - start).components
        let (recorded, responseBytes) = Self.describe(outcome, isTool: call.tool != nil)
        let target: AuditEvent.Target
        var withArguments = false
        switch call.operation {
        case .tool(let name):
            target = .tool(name)
            withArguments = !includeArguments.isEmpty && includeArguments.includes(server: call.server, tool: name)
        case .resourceRead(let uri), .resourceSubscription(let uri, _): target = .uri(uri)
        case .prompt(let name): target = .prompt(name)
        case .relayed: target = .none
        }
        trail.record(AuditEvent(
            startedAtMilliseconds: startedAt, principal: call.principal, frontEnd: call.origin.frontEnd.rawValue,
            era: call.origin.protocolVersion, method: call.operation.method, server: call.server, target: target,
            outcome: recorded, durationNanoseconds: elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000,
            requestBytes: call.arguments.count, responseBytes: responseBytes, arguments: call.arguments,
            includeArguments: withArguments))
        return outcome
    }

    /// The outcome as the trail names it, and the bytes that came back.
    static func describe(_ outcome: CallOutcome, isTool: Bool) -> (AuditEvent.Outcome, Int) {
        switch outcome {
        case .result(let result):
            return (isTool ? .toolResult(result.bytes) : .ok, result.bytes.count)
        case .backendError(let error):
            return (.protocolError(code: error.code), JSONWriter.encode(error.json).count)
        case .failure(.remote(let error)):
            return (.protocolError(code: error.code), JSONWriter.encode(error.json).count)
        case .failure(.timeout):
            return (.timeout, 0)
        case .failure(let error):
            return (.failure(kind: failureKind(error)), 0)
        case .refused(let refusal):
            return (.refused(outcome: refusal.outcomeName, rule: refusal.ruleName), 0)
        }
    }

    /// A fixed word per failure: the detail may hold a URL or a backend's own words.
    static func failureKind(_ error: BackendError) -> String {
        switch error {
        case .spawnFailed: return "spawn_failed"
        case .timeout: return "timeout"
        case .closed: return "closed"
        case .http: return "http"
        case .protocolError: return "protocol"
        case .sessionExpired: return "session_expired"
        case .cancelled: return "cancelled"
        case .disabled: return "disabled"
        case .unreachable: return "unreachable"
        case .remote: return "remote"
        }
    }
}
