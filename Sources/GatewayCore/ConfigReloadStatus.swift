// How the last reload of the config file went, for /health: an operator who edits the file
// should not have to read the log to learn that the edit was refused and why (each problem
// with its file and line; the decoder never repeats a secret in one).

import Foundation
import Synchronization

public final class ConfigReloadStatus: Sendable {
    public struct State: Sendable {
        /// When the last reload was attempted.
        public var attemptedAt: Date?
        /// The problems that made it fail; empty when it was applied.
        public var errors: [String] = []
        /// Changes it carried that wait for a restart.
        public var pendingRestart: [String] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var current: State { state.withLock { $0 } }

    public func refused(_ errors: [String]) {
        state.withLock { $0 = State(attemptedAt: Date(), errors: errors, pendingRestart: $0.pendingRestart) }
    }

    public func applied(pendingRestart: [String]) {
        state.withLock { $0 = State(attemptedAt: Date(), errors: [], pendingRestart: pendingRestart) }
    }
}
