// Waits for a channel write until a deadline, without failing the write itself: NIO completes
// the write's promise when the bytes are out, and a promise must be completed once, so the
// deadline races it through a flag instead.

import NIOCore
import Synchronization

enum WriteDeadline {
    enum Outcome: Sendable {
        case written
        case failed(any Error)
        case timedOut
    }

    /// The write's outcome, or `.timedOut` at `deadline` (nil: no deadline) with the write still
    /// queued.
    static func wait(for write: EventLoopFuture<Void>, until deadline: ContinuousClock.Instant?,
                     on eventLoop: any EventLoop) async -> Outcome {
        guard let deadline else {
            do {
                try await write.get()
                return .written
            } catch {
                return .failed(error)
            }
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let resumed = Mutex(false)
            let resumeOnce: @Sendable (Outcome) -> Void = { outcome in
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: outcome) }
            }
            let left = max(deadline - ContinuousClock.now, .zero)
            let timer = eventLoop.scheduleTask(in: TimeAmount(left)) { resumeOnce(.timedOut) }
            write.whenComplete { result in
                timer.cancel()
                switch result {
                case .success: resumeOnce(.written)
                case .failure(let error): resumeOnce(.failed(error))
                }
            }
        }
    }
}
