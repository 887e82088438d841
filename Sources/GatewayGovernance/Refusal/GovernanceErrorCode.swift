// The JSON-RPC error codes governance refusals carry. Stable: clients and operators key on
// them, so a code, once given a meaning, keeps it.

public enum GovernanceErrorCode {
    /// A rate or concurrency limit refused the call; `data.limit` names it and
    /// `data.retryAfterMs` says when to try again.
    public static let limited = -32029
    /// A budget (`cost_governance`) is spent; `data.budget` names it.
    public static let budgetExhausted = -32003
    /// A pinned tool changed (`security.pinning: enforce`) and waits for `tools approve`.
    public static let toolChanged = -32004
    /// The backend's circuit breaker is open (`failsafe.circuit_breaker`): it failed and is
    /// not called until `data.retryAfterMs` has passed; `data.server` names it.
    public static let circuitOpen = -32005
}
