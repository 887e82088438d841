// The ordered chain of stages every backend-bound operation passes, ending in the backend
// call. Built from config; a new chain replaces the old one as a whole.

public struct CallPipeline: Sendable {
    let stages: [any CallStage]
    let terminal: CallNext

    public init(stages: [any CallStage], terminal: @escaping CallNext) {
        self.stages = stages
        self.terminal = terminal
    }

    /// Runs `call` through every stage to the backend.
    public func run(_ call: BackendCall) async -> CallOutcome {
        await step(0, call, terminal)
    }

    /// Runs `call` through every stage to `end` instead of the backend call: for operations
    /// the gateway completes itself (a resource subscription shared by several clients).
    public func run(_ call: BackendCall, endingIn end: @escaping CallNext) async -> CallOutcome {
        await step(0, call, end)
    }

    private func step(_ index: Int, _ call: BackendCall, _ end: @escaping CallNext) async -> CallOutcome {
        guard index < stages.count else { return await end(call) }
        return await stages[index].process(call) { next in await self.step(index + 1, next, end) }
    }
}
