// The extension point of the call pipeline: a stage sees every tool call, may act on it,
// and passes it on (or answers itself). New policy is a new stage.

public typealias CallNext = @Sendable (ToolCall) async -> CallOutcome

public protocol CallStage: Sendable {
    func process(_ call: ToolCall, next: CallNext) async -> CallOutcome
}
