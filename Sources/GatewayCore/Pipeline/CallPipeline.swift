// The ordered chain of stages every tool call passes, ending in the backend call. Built
// from config; a new chain replaces the old one as a whole.

public struct CallPipeline: Sendable {
    let stages: [any CallStage]
    let terminal: CallNext

    public init(stages: [any CallStage], terminal: @escaping CallNext) {
        self.stages = stages
        self.terminal = terminal
    }

    public func run(_ call: ToolCall) async -> CallOutcome {
        await step(0, call)
    }

    private func step(_ index: Int, _ call: ToolCall) async -> CallOutcome {
        guard index < stages.count else { return await terminal(call) }
        return await stages[index].process(call) { next in await self.step(index + 1, next) }
    }
}
