// CoalescingRunner: runs never overlap, a burst of callers shares one queued run, and every
// caller returns only after a run that started after its call (the catalog's rebuilds once
// overlapped after the first one, and a saved vector file lost a whole backend).

import Synchronization
import Testing
@testable import GatewayCore

@Suite struct CoalescingRunnerTests {
    final class Probe: Sendable {
        let active = Atomic<Int>(0)
        let mostActive = Atomic<Int>(0)
        let started = Atomic<Int>(0)
        /// The start number of the last run that finished.
        let lastFinished = Atomic<Int>(0)

        func work() async {
            let number = started.add(1, ordering: .acquiringAndReleasing).newValue
            let now = active.add(1, ordering: .acquiringAndReleasing).newValue
            mostActive.max(now, ordering: .acquiringAndReleasing)
            try? await Task.sleep(for: .milliseconds(5))
            active.subtract(1, ordering: .acquiringAndReleasing)
            lastFinished.max(number, ordering: .acquiringAndReleasing)
        }
    }

    @Test func runsNeverOverlapAndEachCallerSeesARunThatStartedAfterItsCall() async {
        let runner = CoalescingRunner()
        let probe = Probe()
        await withTaskGroup(of: Void.self) { group in
            for wave in 0..<20 {
                for _ in 0..<10 {
                    group.addTask {
                        let before = probe.started.load(ordering: .acquiring)
                        await runner.run { await probe.work() }
                        // A run numbered above `before` started after this call and has finished.
                        #expect(probe.lastFinished.load(ordering: .acquiring) > before)
                    }
                }
                if wave % 4 == 0 { try? await Task.sleep(for: .milliseconds(7)) }
            }
        }
        #expect(probe.mostActive.load(ordering: .acquiring) == 1)
        // 200 callers coalesce into far fewer runs.
        #expect(probe.started.load(ordering: .acquiring) < 100)
    }

    @Test func aBurstDuringARunSharesOneQueuedRun() async {
        let runner = CoalescingRunner()
        let probe = Probe()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let (began, beginning) = AsyncStream<Void>.makeStream()
        let first = Task {
            await runner.run {
                beginning.yield()
                for await _ in gate { break }
            }
        }
        for await _ in began { break }  // the first run is in progress
        let burst = (0..<25).map { _ in Task { await runner.run { await probe.work() } } }
        try? await Task.sleep(for: .milliseconds(20))
        #expect(probe.started.load(ordering: .acquiring) == 0)
        open.yield()
        open.finish()
        await first.value
        for task in burst { await task.value }
        #expect(probe.started.load(ordering: .acquiring) == 1)
    }

    @Test func anIdleRunnerStartsAtOnceEveryTime() async {
        let runner = CoalescingRunner()
        let probe = Probe()
        for _ in 0..<5 { await runner.run { await probe.work() } }
        #expect(probe.started.load(ordering: .acquiring) == 5)
        #expect(probe.mostActive.load(ordering: .acquiring) == 1)
    }
}
