// The `outcome` label of a backend-bound operation in the metrics: a handful of fixed words,
// so an operator can alert on timeouts or unavailable backends without parsing messages.

import GatewayBackends
import GatewayGovernance
import GatewayProfiles
import MCPProtocol

enum OutcomeLabel {
    /// `ok`, `tool_error` (a result with `isError: true`), `error` (the backend answered a
    /// JSON-RPC error), `timeout`, `cancelled`, `unavailable` (the backend could not be
    /// reached, started or understood), or a refusal's reason.
    static func of(_ outcome: CallOutcome, isTool: Bool) -> String {
        switch outcome {
        case .result(let result): return isTool && JSONScanner.isToolError(result.bytes) ? "tool_error" : "ok"
        case .backendError: return "error"
        case .failure(let error):
            switch error {
            case .timeout: return "timeout"
            case .cancelled: return "cancelled"
            case .remote: return "error"
            case .spawnFailed, .closed, .http, .protocolError, .sessionExpired, .disabled, .unreachable: return "unavailable"
            }
        case .refused(let refusal): return reason(of: refusal)
        }
    }

    /// Why a stage refused the operation before the backend.
    static func reason(of refusal: GovernanceRefusal) -> String {
        switch refusal.reason {
        case .hidden: return "denied"
        case .limited: return "limited"
        case .budget: return "budget"
        case .pinned: return "pinned"
        case .circuitOpen: return "circuit_open"
        }
    }

    /// The label of an answered call as the tool profiles count it.
    static func profileOutcome(_ label: String) -> ProfileOutcome {
        switch label {
        case "ok": return .ok
        case "tool_error": return .toolError
        case "timeout": return .timeout
        case "cancelled": return .cancelled
        case "unavailable": return .unavailable
        default: return .error
        }
    }
}
