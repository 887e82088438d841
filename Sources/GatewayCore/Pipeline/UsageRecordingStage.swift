// Counts tool calls, failures and latency per backend; /health and the server listing show them.

import Synchronization

public final class UsageRecordingStage: CallStage {
    public struct Usage: Sendable {
        public var calls = 0
        public var failures = 0
        public var totalMilliseconds = 0.0
    }

    private let usage = Mutex<[String: Usage]>([:])

    public init() {}

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        guard case .tool = call.operation else { return await next(call) }
        let start = ContinuousClock.now
        let outcome = await next(call)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        usage.withLock { table in
            table[call.server, default: Usage()].calls += 1
            table[call.server, default: Usage()].totalMilliseconds += ms
            if outcome.isFailure { table[call.server, default: Usage()].failures += 1 }
        }
        return outcome
    }

    public func usage(of server: String) -> Usage { usage.withLock { $0[server] ?? Usage() } }
}
