// The concurrency gate: slots, the bounded queue in arrival order, the queue timeout,
// cancellation of a queued call, and limit changes while calls are in flight.

import GatewayGovernance
import Synchronization
import Testing

/// A value shared with tasks.
final class Box<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}

@Suite struct LimitConcurrencyGateTests {
    /// Waits (briefly) until `condition` holds: tasks need a moment to reach the queue.
    private func eventually(_ condition: () -> Bool) async {
        for _ in 0..<500 where !condition() { try? await Task.sleep(for: .milliseconds(2)) }
    }

    @Test func admitsUpToTheLimitThenQueuesThenRefusesPastTheQueue() async {
        let gate = ConcurrencyGate(limit: 2)
        #expect(await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) == .admitted)
        #expect(await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) == .admitted)
        let queued = Task { await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) }
        await eventually { gate.waiting == 1 }
        #expect(gate.waiting == 1)
        // The queue holds one: the next is refused at once.
        #expect(await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) == .queueFull)
        gate.release()
        #expect(await queued.value == .admitted)
        #expect(gate.inFlight == 2)
        gate.release()
        gate.release()
        #expect(gate.isIdle)
    }

    @Test func aQueuedCallTimesOut() async {
        let gate = ConcurrencyGate(limit: 1)
        #expect(await gate.enter(queueLimit: 4, queueTimeout: .seconds(1)) == .admitted)
        let start = ContinuousClock.now
        #expect(await gate.enter(queueLimit: 4, queueTimeout: .milliseconds(50)) == .timedOut)
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        #expect(gate.waiting == 0)
        gate.release()
        #expect(gate.isIdle)
    }

    @Test func cancellingAQueuedCallFreesItsPlace() async {
        let gate = ConcurrencyGate(limit: 1)
        #expect(await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) == .admitted)
        let queued = Task { await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) }
        await eventually { gate.waiting == 1 }
        queued.cancel()
        #expect(await queued.value == .cancelled)
        #expect(gate.waiting == 0)
        // The place is free again; the slot was never taken.
        let next = Task { await gate.enter(queueLimit: 1, queueTimeout: .seconds(30)) }
        await eventually { gate.waiting == 1 }
        gate.release()
        #expect(await next.value == .admitted)
        #expect(gate.inFlight == 1)
    }

    @Test func waitersAreAdmittedInArrivalOrder() async {
        let gate = ConcurrencyGate(limit: 1)
        #expect(await gate.enter(queueLimit: 8, queueTimeout: .seconds(30)) == .admitted)
        let order = Box<[Int]>([])
        var tasks: [Task<Void, Never>] = []
        for index in 0..<3 {
            tasks.append(Task {
                _ = await gate.enter(queueLimit: 8, queueTimeout: .seconds(30))
                order.withLock { $0.append(index) }
            })
            await eventually { gate.waiting == index + 1 }
        }
        for step in 1...3 {
            gate.release()
            await eventually { order.withLock { $0.count } == step }
        }
        for task in tasks { await task.value }
        #expect(order.withLock { $0 } == [0, 1, 2])
        #expect(gate.inFlight == 1)
    }

    @Test func raisingTheLimitLetsWaitersIn() async {
        let gate = ConcurrencyGate(limit: 1)
        #expect(await gate.enter(queueLimit: 8, queueTimeout: .seconds(30)) == .admitted)
        let queued = Task { await gate.enter(queueLimit: 8, queueTimeout: .seconds(30)) }
        await eventually { gate.waiting == 1 }
        gate.update(limit: 2)
        #expect(await queued.value == .admitted)
        #expect(gate.inFlight == 2)
    }

    @Test func gatesKeepTheirCallsAcrossNewLimits() async {
        let gates = ConcurrencyGates()
        let gate = gates.gate(LimitKey(kind: .principal, method: "api_key", name: "p"), limit: 1)
        #expect(await gate.enter(queueLimit: 0, queueTimeout: .seconds(1)) == .admitted)
        #expect(gates.gate(LimitKey(kind: .principal, method: "api_key", name: "p"), limit: 3) === gate)
        #expect(gate.limit == 3)
        #expect(gate.inFlight == 1)
    }
}
