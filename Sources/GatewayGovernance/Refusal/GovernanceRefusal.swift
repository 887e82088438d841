// Why a governance stage refused an operation before it reached the backend. The front end
// renders it for its path (a hidden tool answers like an unknown one; a limit as a JSON-RPC
// error with `retryAfterMs`); the audit trail records the reason.

import MCPProtocol

public struct GovernanceRefusal: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The target does not exist for this principal (scopes, `security.tool_policy`,
        /// a routing profile). `rule` names the deciding rule, for the audit trail and logs
        /// only: the caller is answered as for an unknown name; `wholeServer` when the server
        /// itself is hidden (answered as an unknown server where the path names servers).
        case hidden(rule: String, wholeServer: Bool)
        /// A rate or concurrency limit; `limit` names it.
        case limited(limit: String, retryAfterMs: Int)
        /// A budget is spent.
        case budget(name: String)
        /// A pinned tool changed and is held until approved; `change` says what changed.
        case pinned(change: String)
        /// The backend's circuit breaker is open after its failures.
        case circuitOpen(server: String, retryAfterMs: Int)
    }

    public var reason: Reason
    /// What the caller gets where the path answers with a JSON-RPC error.
    public var error: JSONRPCErrorObject

    public init(reason: Reason, error: JSONRPCErrorObject) {
        self.reason = reason
        self.error = error
    }

    /// A hidden target: the error is the one an unknown name gets on the relayed paths.
    public static func hidden(rule: String, wholeServer: Bool, unknownNameError: JSONRPCErrorObject) -> GovernanceRefusal {
        GovernanceRefusal(reason: .hidden(rule: rule, wholeServer: wholeServer), error: unknownNameError)
    }

    public var isHidden: Bool {
        if case .hidden = reason { return true }
        return false
    }

    /// A limit: code `limited`, a message naming the limit, `data.retryAfterMs`.
    public static func limited(_ limit: String, retryAfterMs: Int, message: String) -> GovernanceRefusal {
        var data = JSONObject()
        data["limit"] = .string(limit)
        data["retryAfterMs"] = .int(retryAfterMs)
        return GovernanceRefusal(reason: .limited(limit: limit, retryAfterMs: retryAfterMs),
                                 error: JSONRPCErrorObject(code: GovernanceErrorCode.limited, message: message, data: .object(data)))
    }

    /// The backend failed and its breaker is open: code `circuitOpen`, a message naming the
    /// backend and when it is tried again, `data.server` and `data.retryAfterMs`.
    public static func circuitOpen(server: String, retryAfterMs: Int, failures: String) -> GovernanceRefusal {
        var data = JSONObject()
        data["server"] = .string(server)
        data["retryAfterMs"] = .int(retryAfterMs)
        let message = "Backend '\(server)' is out of service after \(failures) (circuit breaker open); it is tried again in \(retryAfterMs) ms"
        return GovernanceRefusal(reason: .circuitOpen(server: server, retryAfterMs: retryAfterMs),
                                 error: JSONRPCErrorObject(code: GovernanceErrorCode.circuitOpen, message: message, data: .object(data)))
    }

    /// For the audit trail: `denied`, `limited`, `budget`, `pinned`, `circuit_open`.
    public var outcomeName: String {
        switch reason {
        case .hidden: return "denied"
        case .limited: return "limited"
        case .budget: return "budget"
        case .pinned: return "pinned"
        case .circuitOpen: return "circuit_open"
        }
    }

    /// The rule or limit that decided, for the audit trail.
    public var ruleName: String {
        switch reason {
        case .hidden(let rule, _): return rule
        case .limited(let limit, _): return limit
        case .budget(let name): return name
        case .pinned(let change): return change
        case .circuitOpen(let server, _): return "failsafe.circuit_breaker \(server)"
        }
    }
}
