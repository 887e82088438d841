// Counts tool calls, failures and latency per backend; /health and the server listing show
// them. Recorded by the pipeline's last step (BackendCallStage) rather than by a stage of its
// own: every stage costs an async frame and a closure per call (~4–5k instructions,
// BENCHMARKS.md), and this one only needs the outcome the last step already has.

import GatewayConfig
import Synchronization

public final class CallUsage: Sendable {
    public struct Usage: Sendable {
        public var calls = 0
        public var failures = 0
        public var totalMilliseconds = 0.0
    }

    private let usage = Mutex<[String: Usage]>([:])

    public init() {}

    /// One tool call that reached `server` (or failed trying), taking `nanoseconds`.
    func record(_ server: String, nanoseconds: Int64, failed: Bool) {
        let ms = Double(nanoseconds) / 1e6
        usage.withLock { table in
            table[server, default: Usage()].calls += 1
            table[server, default: Usage()].totalMilliseconds += ms
            if failed { table[server, default: Usage()].failures += 1 }
        }
    }

    public func usage(of server: String) -> Usage { usage.withLock { $0[server] ?? Usage() } }
}
