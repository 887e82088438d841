// BoundedWait returns at its limit while the task it waited for is still running, and hands
// back the value of a task that finishes in time, however the finish races the timer's cancel.

import Testing
@testable import GatewayCore

@Suite struct BoundedWaitTests {
    @Test func givesUpAtTheLimitWithoutWaitingForTheTask() async {
        let (released, release) = AsyncStream<Void>.makeStream()
        let task = Task { () -> Int in
            for await _ in released { break }
            return 1
        }
        // The task ends only when released, which happens after the wait returned: a wait
        // that waited for it would never return.
        let value = await BoundedWait.value(of: task, within: .milliseconds(50))
        #expect(value == nil)
        release.yield()
        release.finish()
        #expect(await task.value == 1)
    }

    @Test func returnsTheValueOfATaskThatFinishesInTime() async {
        let task = Task { 42 }
        #expect(await BoundedWait.value(of: task, within: .seconds(30)) == 42)
    }

    /// A task that finishes long before the limit always gives its value. The wait once
    /// cancelled its timer before claiming the answer, and a cancelled sleep ends at once: the
    /// timer could claim first and report "too slow" (a backend then vanished from a listing
    /// under load). Many waits side by side make that interleaving likely.
    @Test func aTaskThatFinishesInTimeIsNeverReportedTooSlow() async {
        let outcomes = await withTaskGroup(of: Int?.self) { group in
            for index in 0..<2_000 {
                group.addTask { await BoundedWait.value(of: Task { index }, within: .seconds(60)) }
            }
            var outcomes: [Int?] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count == 2_000)
        #expect(outcomes.filter { $0 == nil }.count == 0)
    }

    /// The interleaving above, made certain: a timer cancelled before its limit never fires.
    @Test func aCancelledTimerNeverReportsTheLimit() async {
        let fired = OnceFlag()
        let timer = Task { await BoundedWait.expire(after: .seconds(60)) { _ = fired.claim() } }
        timer.cancel()
        await timer.value
        #expect(!fired.isClaimed)
        let due = Task { await BoundedWait.expire(after: .milliseconds(1)) { _ = fired.claim() } }
        await due.value
        #expect(fired.isClaimed)
    }
}
