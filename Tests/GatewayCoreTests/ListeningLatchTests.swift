// The latch the core waits on until the HTTP front end listens: opens every waiter, lets later
// waiters through at once, and lets a cancelled waiter go (a server that never binds).

import Testing
@testable import GatewayServer

@Suite(.timeLimit(.minutes(1))) struct ListeningLatchTests {
    @Test func waitersResumeWhenOpenedAndLaterOnesPassAtOnce() async {
        let latch = ListeningLatch()
        let passed = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await latch.wait()
                    return true
                }
            }
            // Nobody passes before the latch opens.
            group.addTask {
                try? await Task.sleep(for: .milliseconds(50))
                return false
            }
            var order: [Bool] = []
            for await passed in group {
                order.append(passed)
                if !passed { latch.open() }
            }
            return order
        }
        #expect(passed == [false, true, true, true])
        await latch.wait()
    }

    @Test func aCancelledWaiterReturns() async {
        let latch = ListeningLatch()
        let waiter = Task { await latch.wait() }
        waiter.cancel()
        await waiter.value
    }
}
