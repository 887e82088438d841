// Polls the capability directories on a thread of its own: scanning is blocking file-system work that
// must not occupy (or wait for) the cooperative thread pool, so a busy gateway still sees a new file
// within one poll interval.

import Foundation
import Synchronization

final class DirectoryWatcher: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Starts calling `poll` every `interval` until `stop()`.
    init(interval: Duration, poll: @escaping @Sendable () -> Void) {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let thread = Thread { [self] in
            while !isStopped {
                Thread.sleep(forTimeInterval: seconds)
                if isStopped { return }
                poll()
            }
        }
        thread.name = "capability-watcher"
        thread.start()
    }

    private var isStopped: Bool { stopped.load(ordering: .acquiring) }

    func stop() {
        stopped.store(true, ordering: .releasing)
    }
}
