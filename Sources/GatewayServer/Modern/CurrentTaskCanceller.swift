// Lets another thread cancel the task that is running a request inline, for as long as that
// request runs. Running the work on the handler's own task spares a task and a continuation
// per call; cancelling it must then never reach past the request, so the canceller is
// disarmed (under its lock) before the handler goes on, and a late cancel does nothing.

import Synchronization

final class CurrentTaskCanceller: @unchecked Sendable {
    // The task reference is only used while armed, and the owner disarms before its task
    // leaves `run`, so the task is alive whenever `cancel()` touches it.
    private nonisolated(unsafe) let task: UnsafeCurrentTask
    private let armed = Mutex(true)

    private init(task: UnsafeCurrentTask) {
        self.task = task
    }

    /// Runs `work` on the current task; `arm` receives a canceller that cancels this task
    /// until `work` returns (it does nothing afterwards).
    static func run<T>(arm: (CurrentTaskCanceller) -> Void, _ work: () async -> T) async -> T {
        guard let canceller = withUnsafeCurrentTask(body: { $0.map(CurrentTaskCanceller.init(task:)) }) else {
            return await work()
        }
        arm(canceller)
        defer { canceller.armed.withLock { $0 = false } }
        return await work()
    }

    func cancel() {
        armed.withLock { armed in
            if armed { task.cancel() }
        }
    }
}
