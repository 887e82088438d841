// The audit trail: calls hand it events without waiting, one writer thread turns them into
// lines and writes them. The buffer between them is bounded (events and the bytes they keep
// alive); when it is full the event is dropped and counted, and the call goes on. The writer
// is a thread of its own, not a task: a slow disk blocks it, never the cooperative pool that
// serves calls. `close()` (at shutdown) writes everything queued before it returns.

import Dispatch
import Foundation
import GatewayConfig
import Synchronization

public final class AuditTrail: Sendable {
    /// What /health shows.
    public struct State: Sendable, Equatable {
        public var destination: String
        /// Lines written.
        public var written: Int
        /// Lines dropped because the buffer was full (or the trail closed).
        public var dropped: Int
        /// Lines lost to write errors.
        public var failed: Int
        /// The last write error, if any (it names the path and the system's reason).
        public var lastError: String?

        public init(destination: String, written: Int, dropped: Int, failed: Int, lastError: String?) {
            self.destination = destination
            self.written = written
            self.dropped = dropped
            self.failed = failed
            self.lastError = lastError
        }
    }

    public static let defaultCapacity = 8192
    public static let defaultMaxQueuedBytes = 64 << 20

    public let settings: AuditSettings
    let capacity: Int
    let maxQueuedBytes: Int
    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let counters = Mutex(Counters())

    private struct Queue {
        var events: [AuditEvent] = []
        var queuedBytes = 0
        var writerSleeping = false
        var closing = false
        var finished = false
        /// Events taken in, and events the writer has finished with (written or failed).
        var accepted: UInt64 = 0
        var processed: UInt64 = 0
        var waiters: [(upTo: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private struct Counters {
        var written = 0
        var dropped = 0
        var failed = 0
        var lastError: String?
    }

    /// Starts the writer; `capacity` events and `maxQueuedBytes` bytes of arguments and results
    /// may wait for it.
    public init(settings: AuditSettings, capacity: Int = AuditTrail.defaultCapacity,
                maxQueuedBytes: Int = AuditTrail.defaultMaxQueuedBytes) {
        self.settings = settings
        self.capacity = max(1, capacity)
        self.maxQueuedBytes = maxQueuedBytes
        let thread = Thread { [self] in self.writerLoop() }
        thread.name = "audit-writer"
        thread.start()
    }

    /// Queues `event` without waiting; false (and counted) when the buffer is full.
    @discardableResult
    public func record(_ event: AuditEvent) -> Bool {
        let bytes = event.retainedBytes
        let (accepted, signal) = queue.withLock { q -> (Bool, Bool) in
            guard !q.closing, q.events.count < capacity, q.queuedBytes + bytes <= maxQueuedBytes || q.events.isEmpty else {
                return (false, false)
            }
            q.events.append(event)
            q.queuedBytes += bytes
            q.accepted += 1
            let signal = q.writerSleeping
            q.writerSleeping = false
            return (true, signal)
        }
        if signal { wake.signal() }
        if !accepted { counters.withLock { $0.dropped += 1 } }
        return accepted
    }

    /// Returns once every event queued before the call is written (or failed).
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (done, signal) = queue.withLock { q -> (Bool, Bool) in
                if q.processed >= q.accepted || q.finished { return (true, false) }
                q.waiters.append((q.accepted, continuation))
                let signal = q.writerSleeping
                q.writerSleeping = false
                return (false, signal)
            }
            if signal { wake.signal() }
            if done { continuation.resume() }
        }
    }

    /// Writes what is queued, then stops the writer and closes the file. Later events are dropped.
    public func close() async {
        let signal = queue.withLock { q -> Bool in
            q.closing = true
            let signal = q.writerSleeping
            q.writerSleeping = false
            return signal
        }
        if signal { wake.signal() }
        await flush()
    }

    public var state: State {
        counters.withLock { c in
            State(destination: settings.destination.description, written: c.written, dropped: c.dropped, failed: c.failed,
                  lastError: c.lastError)
        }
    }

    private enum Step {
        case write([AuditEvent], bytes: Int)
        case sleep
        case exit
    }

    private func writerLoop() {
        let sink = AuditSink(settings: settings)
        while true {
            let step = queue.withLock { q -> Step in
                if q.events.isEmpty {
                    if q.closing { return .exit }
                    q.writerSleeping = true
                    return .sleep
                }
                defer {
                    // Reserved here, on the writer's side, so the calls that queue next do not grow the array.
                    q.events = []
                    q.events.reserveCapacity(64)
                    q.queuedBytes = 0
                }
                return .write(q.events, bytes: q.queuedBytes)
            }
            switch step {
            case .sleep:
                wake.wait()
            case .exit:
                sink.close()
                let waiters = queue.withLock { q in
                    q.finished = true
                    defer { q.waiters = [] }
                    return q.waiters
                }
                for waiter in waiters { waiter.continuation.resume() }
                return
            case .write(let events, _):
                let before = (sink.linesWritten, sink.linesLost)
                sink.reopenIfMoved()
                for event in events { sink.append(AuditLine.encode(event)) }
                sink.flush()
                counters.withLock { c in
                    c.written += sink.linesWritten - before.0
                    c.failed += sink.linesLost - before.1
                    c.lastError = sink.lastError
                }
                let ready = queue.withLock { q in
                    q.processed += UInt64(events.count)
                    let processed = q.processed
                    let ready = q.waiters.filter { $0.upTo <= processed }
                    q.waiters.removeAll { $0.upTo <= processed }
                    return ready
                }
                for waiter in ready { waiter.continuation.resume() }
            }
        }
    }
}
