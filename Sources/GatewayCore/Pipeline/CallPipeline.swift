// The ordered chain of stages every backend-bound operation passes, ending in the backend
// call. Built from config; a reload replaces the stages as a whole (`replaceStages`): a call
// takes the chain in force when it starts and keeps it to its end, so a call never sees half
// of an old chain and half of a new one. One uncontended lock per call reads it.

import Synchronization

public final class CallPipeline: Sendable {
    /// One immutable chain; swapped whole.
    final class Chain: Sendable {
        let stages: [any CallStage]
        init(_ stages: [any CallStage]) { self.stages = stages }
    }

    private let chain: Mutex<Chain>
    let terminal: CallNext

    public init(stages: [any CallStage], terminal: @escaping CallNext) {
        chain = Mutex(Chain(stages))
        self.terminal = terminal
    }

    /// The stages the next call passes.
    public var stages: [any CallStage] { chain.withLock { $0 }.stages }

    /// Puts `stages` in force for every call that starts from now on.
    public func replaceStages(_ stages: [any CallStage]) {
        let next = Chain(stages)
        chain.withLock { $0 = next }
    }

    /// Runs `call` through every stage to the backend.
    public func run(_ call: BackendCall) async -> CallOutcome {
        await Self.step(0, chain.withLock { $0 }, call, terminal)
    }

    /// Runs `call` through every stage to `end` instead of the backend call: for operations
    /// the gateway completes itself (a resource subscription shared by several clients).
    public func run(_ call: BackendCall, endingIn end: @escaping CallNext) async -> CallOutcome {
        await Self.step(0, chain.withLock { $0 }, call, end)
    }

    private static func step(_ index: Int, _ chain: Chain, _ call: BackendCall, _ end: @escaping CallNext) async -> CallOutcome {
        guard index < chain.stages.count else { return await end(call) }
        return await chain.stages[index].process(call) { next in await step(index + 1, chain, next, end) }
    }
}
