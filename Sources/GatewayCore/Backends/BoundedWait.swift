// Waiting for a task at most so long. A task group racing the task against a sleep does not
// do it: the group returns only once its losing child has ended too, and a child awaiting a
// task's `value` does not end when cancelled. So a discovery "deadline" built that way waited
// for the slowest backend in full.

enum BoundedWait {
    /// The task's value if it finishes within `limit`, else nil; the task runs on either way.
    static func value<T: Sendable>(of task: Task<T, Never>, within limit: Duration) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let first = OnceFlag()
            let timer = Task {
                await expire(after: limit) {
                    if first.claim() { continuation.resume(returning: nil) }
                }
            }
            Task {
                let value = await task.value
                // Claim before cancelling the timer: a cancelled sleep ends at once, and a
                // timer that claimed in between reported a task that finished in time as too
                // slow (under load a backend then vanished from listings and searches).
                if first.claim() { continuation.resume(returning: value) }
                timer.cancel()
            }
        }
    }

    /// Calls `expired` once `limit` has passed, and never if cancelled before: a cancelled
    /// sleep returns early, which is not the limit passing.
    static func expire(after limit: Duration, _ expired: @Sendable () -> Void) async {
        do {
            try await Task.sleep(for: limit)
        } catch {
            return
        }
        expired()
    }
}
