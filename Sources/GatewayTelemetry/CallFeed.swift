// The last calls the gateway made to backends, for the dashboard: a bounded ring of records
// (who, which server and tool, how long, how it ended), the numbers of the last minute
// computed from it, and a live feed to every open dashboard page. Recording is one lock and
// a struct copy per call; a subscriber's stream is bounded (a stalled page loses old events,
// never grows the gateway's memory).

import Foundation
import Synchronization

public final class CallFeed: Sendable {
    public struct Record: Sendable, Equatable {
        /// Seconds since 1970.
        public var at: Double
        public var principal: String
        public var server: String
        /// The tool's name, or the method of a non-tool operation.
        public var tool: String
        public var nanoseconds: Int64
        /// OutcomeLabel's words: ok, tool_error, error, timeout, cancelled, unavailable, or a
        /// refusal's reason.
        public var outcome: String

        public init(at: Double, principal: String, server: String, tool: String, nanoseconds: Int64, outcome: String) {
            self.at = at
            self.principal = principal
            self.server = server
            self.tool = tool
            self.nanoseconds = nanoseconds
            self.outcome = outcome
        }

        public var failed: Bool { outcome != "ok" }
    }

    /// The last minute's calls, failures and 95th percentile of duration.
    public struct Window: Sendable, Equatable {
        public var calls: Int
        public var failures: Int
        public var p95Nanoseconds: Int64?

        public init(calls: Int, failures: Int, p95Nanoseconds: Int64?) {
            self.calls = calls
            self.failures = failures
            self.p95Nanoseconds = p95Nanoseconds
        }
    }

    private struct State {
        var ring: [Record] = []
        /// Where the next record goes once the ring is full.
        var next = 0
        var subscribers: [Int: AsyncStream<Record>.Continuation] = [:]
        var nextSubscriber = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 500) {
        self.capacity = max(capacity, 1)
    }

    public func record(_ record: Record) {
        let subscribers: [AsyncStream<Record>.Continuation] = state.withLock { state in
            if state.ring.count < capacity {
                state.ring.append(record)
            } else {
                state.ring[state.next] = record
                state.next = (state.next + 1) % capacity
            }
            return state.subscribers.isEmpty ? [] : Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(record) }
    }

    /// The newest `limit` records, newest first.
    public func recent(_ limit: Int) -> [Record] {
        state.withLock { state in
            let ordered = state.ring.count < capacity ? state.ring : Array(state.ring[state.next...] + state.ring[..<state.next])
            return Array(ordered.suffix(max(limit, 0)).reversed())
        }
    }

    /// What the records of the last `seconds` that `include` accepts say (the ring's capacity
    /// bounds what is seen).
    public func window(seconds: Double = 60, now: Double = Date().timeIntervalSince1970,
                       including include: (Record) -> Bool = { _ in true }) -> Window {
        let records = state.withLock { $0.ring }.filter { now - $0.at <= seconds && include($0) }
        let durations = records.map(\.nanoseconds).sorted()
        let p95 = durations.isEmpty ? nil : durations[min(durations.count - 1, Int((Double(durations.count) * 0.95).rounded(.up)) - 1)]
        return Window(calls: records.count, failures: records.count { $0.failed }, p95Nanoseconds: p95)
    }

    /// Every record from now on, until the caller stops iterating. At most `buffer` records
    /// wait for a slow reader; older ones are dropped.
    public func subscribe(buffer: Int = 200) -> AsyncStream<Record> {
        let (stream, continuation) = AsyncStream<Record>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        let id = state.withLock { state in
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
}
