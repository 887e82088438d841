// The extension point of the call pipeline: a stage sees every backend-bound operation, may
// act on it, and passes it on (or answers itself). New policy is a new stage.

public typealias CallNext = @Sendable (BackendCall) async -> CallOutcome

public protocol CallStage: Sendable {
    func process(_ call: BackendCall, next: CallNext) async -> CallOutcome
}
