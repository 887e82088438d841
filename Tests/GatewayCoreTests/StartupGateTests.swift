// The start-up gate (requests wait on it until the catalog is seeded; the core waits on one until
// the HTTP front end listens): opens every waiter, lets later waiters through at once, and lets a
// cancelled waiter go when it waits unless cancelled (a server that never binds).

import Testing
@testable import GatewayCore

@Suite(.timeLimit(.minutes(1))) struct StartupGateTests {
    @Test func waitersResumeWhenOpenedAndLaterOnesPassAtOnce() async {
        let latch = StartupGate()
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
        let latch = StartupGate()
        let waiter = Task { await latch.waitUnlessCancelled() }
        waiter.cancel()
        await waiter.value
    }
}
