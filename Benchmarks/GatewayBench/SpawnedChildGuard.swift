// Stops a spawned gateway when gateway-bench itself is told to stop. Foundation puts the
// child in its own process group, so a signal to ours would otherwise leave it running.

import Dispatch
import Foundation
import Synchronization

final class SpawnedChildGuard: Sendable {
    static let shared = SpawnedChildGuard()

    private let child = Mutex<Int32?>(nil)
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP (once) and watches `pid`.
    func watch(_ pid: Int32) {
        child.withLock { $0 = pid }
        sources.withLock { installed in
            guard installed.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in self.terminate(exitCode: 128 + signalNumber) }
                source.resume()
                installed.append(source)
            }
        }
    }

    func forget() {
        child.withLock { $0 = nil }
    }

    /// SIGTERM to the child (it stops its own backends), then exit.
    private func terminate(exitCode: Int32) -> Never {
        if let pid = child.withLock({ $0 }) { kill(pid, SIGTERM) }
        exit(exitCode)
    }
}
