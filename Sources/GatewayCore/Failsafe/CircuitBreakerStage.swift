// The circuit breaker as a call-pipeline stage: before the budget and the limits (a call the
// breaker refuses spends and counts nothing), after scopes and pinning (a caller who may not
// see a backend learns nothing of its health). A refused call gets -32005 naming the backend
// and when it is tried again; the outcome of every call that went through is counted.

import GatewayBackends
import GatewayGovernance

public struct CircuitBreakerStage: CallStage {
    let breakers: CircuitBreakers
    /// The capability server: its breakers are per tool (each tool calls its own API).
    let capabilityServer: String?

    public init(breakers: CircuitBreakers, capabilityServer: String?) {
        self.breakers = breakers
        self.capabilityServer = capabilityServer
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        let key = call.server == capabilityServer ? "\(call.server):\(call.tool ?? call.operation.method)" : call.server
        let (admission, lastFailure) = breakers.admit(key)
        if case .refuse(let retryAfterMs) = admission {
            return .refused(.circuitOpen(server: key, retryAfterMs: retryAfterMs, failures: lastFailure ?? "its failures"))
        }
        let outcome = await next(call)
        breakers.record(key, Self.result(of: outcome), probe: admission == .probe)
        return outcome
    }

    /// Timeouts and transport failures count against the backend; any answer counts for it.
    static func result(of outcome: CallOutcome) -> CircuitBreaker.Result {
        switch outcome {
        case .result, .backendError: return .success
        case .refused: return .neither
        case .failure(let error):
            switch error {
            case .remote: return .success
            case .cancelled, .disabled: return .neither
            case .timeout, .closed, .http, .protocolError, .sessionExpired, .spawnFailed, .unreachable:
                // A fixed word: the detail may hold a URL or the backend's own words, and the
                // refusal's message goes to every caller.
                return .failure(AuditStage.failureKind(error))
            }
        }
    }
}
