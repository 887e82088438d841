// A task preferring an EventLoopTaskExecutor runs on that event loop, before and after it
// awaits something elsewhere.

import GatewayBackends
import NIOCore
import NIOPosix
import Testing

@Suite struct EventLoopTaskExecutorTests {
    @Test func aTaskRunsOnItsEventLoopAcrossSuspensions() async {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let onLoop = await Task(executorPreference: EventLoopTaskExecutor(loop)) { () -> [Bool] in
            var seen = [loop.inEventLoop]
            try? await Task.sleep(for: .milliseconds(5))
            seen.append(loop.inEventLoop)
            await Task.yield()
            seen.append(loop.inEventLoop)
            return seen
        }.value
        #expect(onLoop == [true, true, true])
    }

    @Test func unstructuredTasksItStartsDoNotInheritTheLoop() async {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let inner = await Task(executorPreference: EventLoopTaskExecutor(loop)) { () -> Bool in
            await Task { loop.inEventLoop }.value
        }.value
        #expect(inner == false, "background work started by a call would hold up the loop's connections")
    }
}
