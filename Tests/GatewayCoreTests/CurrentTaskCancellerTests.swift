// The canceller behind inline 2026-07-28 answers: it cancels the running work, and once the
// work has returned it can no longer reach the task that goes on to other requests.

import Synchronization
import Testing
@testable import GatewayServer

@Suite struct CurrentTaskCancellerTests {
    final class Slot: Sendable {
        let canceller = Mutex<CurrentTaskCanceller?>(nil)
    }

    @Test(.timeLimit(.minutes(1))) func cancelsTheWorkWhileItRuns() async {
        let slot = Slot()
        let (started, signal) = AsyncStream<Void>.makeStream()
        let task = Task {
            await CurrentTaskCanceller.run(arm: { canceller in slot.canceller.withLock { $0 = canceller } }) { () async -> Bool in
                signal.yield()
                try? await Task.sleep(for: .seconds(30))
                return Task.isCancelled
            }
        }
        for await _ in started { break }
        slot.canceller.withLock { $0 }?.cancel()
        #expect(await task.value)
    }

    @Test(.timeLimit(.minutes(1))) func doesNothingOnceTheWorkReturned() async {
        let slot = Slot()
        let (cancelled, signal) = AsyncStream<Void>.makeStream()
        let (resume, resumeSignal) = AsyncStream<Void>.makeStream()
        let task = Task { () async -> Bool in
            await CurrentTaskCanceller.run(arm: { canceller in slot.canceller.withLock { $0 = canceller } }) {}
            signal.yield()
            for await _ in resume { break }
            return Task.isCancelled
        }
        for await _ in cancelled { break }
        slot.canceller.withLock { $0 }?.cancel()
        resumeSignal.yield()
        #expect(await task.value == false)
    }
}
