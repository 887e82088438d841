// Runs one piece of async work at a time and coalesces bursts: a caller returns once a run that
// started after its call has finished, and every caller arriving while a run is in progress
// shares the single run queued behind it. The catalog rebuilds through it, so two rebuilds never
// overlap: an older one could otherwise publish its snapshot after a newer one, and they share
// the tool-vector cache's bookkeeping (a restart once found the vectors of a whole backend
// missing from the saved file because a second rebuild reset it mid-build).

import Synchronization

final class CoalescingRunner: Sendable {
    private struct State {
        var running: Task<Void, Never>?
        var queued: Task<Void, Never>?
        var queuedID: UInt64 = 0
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Returns once a run of `work` that started after this call has finished. Callers that
    /// share a queued run share its `work` too: every caller must pass the same work.
    func run(_ work: @escaping @Sendable () async -> Void) async {
        let task = state.withLock { state -> Task<Void, Never> in
            if let queued = state.queued { return queued }
            let previous = state.running
            state.nextID &+= 1
            let id = state.nextID
            let next = Task {
                await previous?.value
                // A queued run becomes the running one as it starts, so later callers queue
                // behind it; the first run of an idle runner is already the running one.
                self.state.withLock { state in
                    guard state.queuedID == id, let queued = state.queued else { return }
                    state.running = queued
                    state.queued = nil
                    state.queuedID = 0
                }
                await work()
            }
            if previous == nil {
                state.running = next
            } else {
                state.queued = next
                state.queuedID = id
            }
            return next
        }
        await task.value
    }
}
