// BoundedWait returns at its limit while the task it waited for is still running, and hands
// back the value of a task that finishes in time.

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
}
