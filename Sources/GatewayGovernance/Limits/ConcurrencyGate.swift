// Calls in flight under one limit, with a bounded queue in front: a call past the limit waits
// for a slot, in arrival order, at most `queueTimeout`; a full queue refuses at once. A queued
// call whose task is cancelled (the client cancelled) leaves the queue and frees its place.
// The limit can change while calls are in flight (a config reload): a higher limit lets
// waiters in, a lower one lets the surplus finish.

import Synchronization

public final class ConcurrencyGate: Sendable {
    public enum Entry: Sendable, Equatable {
        /// A slot is held: `release()` it when the call is over.
        case admitted
        /// The queue was full.
        case queueFull
        /// No slot within the queue timeout.
        case timedOut
        /// The waiting task was cancelled.
        case cancelled
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Entry, Never>
    }

    private struct State {
        var limit: Int
        var inFlight = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        /// Tickets issued but not queued yet → how they ended meanwhile (cancelled, timed out).
        var pending: [UInt64: Entry?] = [:]
    }

    private let state: Mutex<State>

    public init(limit: Int) {
        state = Mutex(State(limit: max(1, limit)))
    }

    public var limit: Int { state.withLock { $0.limit } }
    public var inFlight: Int { state.withLock { $0.inFlight } }
    public var waiting: Int { state.withLock { $0.waiters.count } }
    /// Neither in flight nor waiting: a table may forget the gate.
    public var isIdle: Bool { state.withLock { $0.inFlight == 0 && $0.waiters.isEmpty } }

    /// A new limit; waiters get the slots a higher limit opens.
    public func update(limit: Int) {
        let woken = state.withLock { state -> [Waiter] in
            state.limit = max(1, limit)
            return Self.admitWaiters(&state)
        }
        for waiter in woken { waiter.continuation.resume(returning: .admitted) }
    }

    /// A slot now, or a place in the queue (at most `queueLimit` waiting) for at most `queueTimeout`.
    public func enter(queueLimit: Int, queueTimeout: Duration) async -> Entry {
        let ticket: (id: UInt64?, entry: Entry) = state.withLock { state in
            if state.inFlight < state.limit && state.waiters.isEmpty {
                state.inFlight += 1
                return (nil, .admitted)
            }
            if state.waiters.count >= queueLimit { return (nil, .queueFull) }
            state.nextID &+= 1
            state.pending[state.nextID] = .some(nil)
            return (state.nextID, .admitted)
        }
        guard let id = ticket.id else { return ticket.entry }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: queueTimeout)
            if !Task.isCancelled { self?.leaveQueue(id, with: .timedOut) }
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Entry, Never>) in
                let outcome: Entry? = state.withLock { state in
                    if case .some(.some(let ended)) = state.pending.removeValue(forKey: id) { return ended }
                    if state.waiters.count >= queueLimit { return .queueFull }
                    if state.inFlight < state.limit && state.waiters.isEmpty {
                        state.inFlight += 1
                        return .admitted
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            leaveQueue(id, with: .cancelled)
        }
    }

    /// Gives the slot back; the first waiter takes it.
    public func release() {
        let woken = state.withLock { state -> [Waiter] in
            state.inFlight = max(0, state.inFlight - 1)
            return Self.admitWaiters(&state)
        }
        for waiter in woken { waiter.continuation.resume(returning: .admitted) }
    }

    private func leaveQueue(_ id: UInt64, with entry: Entry) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                // Not queued yet: the continuation, when it comes, answers at once. Already
                // admitted or gone: nothing to do.
                if state.pending[id] != nil { state.pending[id] = .some(entry) }
                return nil
            }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: entry)
    }

    private static func admitWaiters(_ state: inout State) -> [Waiter] {
        var woken: [Waiter] = []
        while state.inFlight < state.limit, !state.waiters.isEmpty {
            state.inFlight += 1
            woken.append(state.waiters.removeFirst())
        }
        return woken
    }
}
