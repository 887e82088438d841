// A one-way gate for start-up. The dispatcher holds requests that arrive while the gateway is
// still starting (front ends run alongside start-up), so nothing is answered from a catalog that
// has not been seeded yet; the core itself waits on one until the HTTP front end listens, so that
// loading capabilities and the catalog does not compete with binding the port.

import Synchronization

public final class StartupGate: Sendable {
    private struct State {
        var open = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex<State>(State())

    public init() {}

    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once the gate is open.
    public func wait() async {
        guard let id = ticket() else { return }
        await park(id, cancellable: false)
    }

    /// Returns once the gate is open, or when the waiting task is cancelled (a server that
    /// never binds).
    public func waitUnlessCancelled() async {
        guard let id = ticket() else { return }
        await withTaskCancellationHandler {
            await park(id, cancellable: true)
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// An id to wait under, or nil when the gate is already open.
    private func ticket() -> UInt64? {
        state.withLock { state -> UInt64? in
            if state.open { return nil }
            state.nextID += 1
            return state.nextID
        }
    }

    private func park(_ id: UInt64, cancellable: Bool) async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.open || (cancellable && Task.isCancelled) { return true }
                state.waiters[id] = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
