// The ordered chain of stages every backend-bound operation passes, ending in the backend
// call. Built from config; a reload replaces the stages as a whole (`replaceStages`): a call
// takes the chain in force when it starts and keeps it to its end, so a call never sees half
// of an old chain and half of a new one. One uncontended lock per call reads it.

import Foundation
import GatewayTelemetry
import GatewayTracing
import MCPProtocol
import Synchronization

public final class CallPipeline: Sendable {
    /// One immutable chain; swapped whole.
    final class Chain: Sendable {
        let stages: [any CallStage]
        /// Credential redaction, outermost: it sees what every stage and the backend return.
        let redaction: RedactionStage?

        init(_ stages: [any CallStage], redaction: RedactionStage?) {
            self.stages = stages
            self.redaction = redaction
        }
    }

    private let chain: Mutex<Chain>
    let terminal: CallNext
    /// Counts operations a stage refused (the terminal records the rest).
    let metrics: GatewayMetrics?
    /// A span over the stages' work before the backend (nil: tracing off).
    let tracer: GatewayTracer?
    /// The dashboard's live calls (nil: `telemetry.dashboard` off).
    let feed: CallFeed?

    public init(stages: [any CallStage], redaction: RedactionStage? = nil, metrics: GatewayMetrics? = nil,
                tracer: GatewayTracer? = nil, feed: CallFeed? = nil, terminal: @escaping CallNext) {
        chain = Mutex(Chain(stages, redaction: redaction))
        self.terminal = terminal
        self.metrics = metrics
        self.tracer = tracer
        self.feed = feed
    }

    /// The stages the next call passes.
    public var stages: [any CallStage] { chain.withLock { $0 }.stages }

    /// Whether the next call's outcome is redacted.
    public var redacts: Bool { chain.withLock { $0 }.redaction != nil }

    /// Puts `stages` (and `redaction` around them) in force for every call that starts from now on.
    public func replaceStages(_ stages: [any CallStage], redaction: RedactionStage? = nil) {
        let next = Chain(stages, redaction: redaction)
        chain.withLock { $0 = next }
    }

    /// Runs `call` through every stage to the backend.
    public func run(_ call: BackendCall) async -> CallOutcome {
        let chain = chain.withLock { $0 }
        if feed != nil || tracer != nil { return await observed(call, chain, terminal) }
        return await run(call, chain, terminal)
    }

    /// Runs `call` through every stage to `end` instead of the backend call: for operations
    /// the gateway completes itself (a resource subscription shared by several clients).
    public func run(_ call: BackendCall, endingIn end: @escaping CallNext) async -> CallOutcome {
        let chain = chain.withLock { $0 }
        if feed != nil || tracer != nil { return await observed(call, chain, end) }
        return await run(call, chain, end)
    }

    /// The dashboard's record of the call and the policy span around the stages, when either is
    /// on. Out of line: with both off a call keeps the frames it had before them (a larger frame
    /// costs the task allocator a slab, ~1.5k instructions a call in callgrind).
    @inline(never)
    private func observed(_ call: BackendCall, _ chain: Chain, _ end: @escaping CallNext) async -> CallOutcome {
        let started = feed == nil ? 0 : MonotonicNanoseconds.now()
        let outcome: CallOutcome
        if let tracer, !chain.stages.isEmpty {
            let policy = PolicySpan(tracer: tracer, call: call)
            outcome = await run(call, chain) { passed in
                policy.passed()
                return await end(passed)
            }
            policy.finish(outcome)
        } else {
            outcome = await run(call, chain, end)
        }
        feed?.record(CallFeed.Record(at: Date().timeIntervalSince1970, principal: call.principal.name, server: call.server,
                                     tool: call.tool ?? call.operation.method, nanoseconds: MonotonicNanoseconds.now() - started,
                                     outcome: OutcomeLabel.of(outcome, isTool: call.tool != nil)))
        return outcome
    }

    private func run(_ call: BackendCall, _ chain: Chain, _ end: @escaping CallNext) async -> CallOutcome {
        let outcome: CallOutcome
        if let redaction = chain.redaction {
            outcome = redaction.finish(await Self.step(0, chain, redaction.prepare(call), end), of: call)
        } else {
            outcome = await Self.step(0, chain, call, end)
        }
        if let metrics, case .refused(let refusal) = outcome {
            metrics.recordRefusal(server: call.server, method: call.operation.method, tool: call.tool,
                                  reason: OutcomeLabel.reason(of: refusal))
        }
        return outcome
    }

    private static func step(_ index: Int, _ chain: Chain, _ call: BackendCall, _ end: @escaping CallNext) async -> CallOutcome {
        guard index < chain.stages.count else { return await end(call) }
        return await chain.stages[index].process(call) { next in await step(index + 1, chain, next, end) }
    }
}
