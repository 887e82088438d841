// The one `subscriptions/listen` stream the gateway keeps open to a 2026-07-28 backend:
// list changes and updates of the resources clients subscribed to. Listening is level
// triggered without replay, so after a drop it listens again and asks for a refetch, and a
// change made before the backend acknowledged the stream is never announced: the session
// waits for the first acknowledgement (`waitUntilListening`) before anything is asked of
// the backend. A change of the subscribed resources replaces the stream: the old one is
// closed when the new one is acknowledged (or fails), so nothing falls in between.

import MCPProtocol
import Synchronization

final class BackendListener: Sendable {
    typealias Send = @Sendable (_ params: ArraySlice<UInt8>) async throws(BackendError) -> JSONRPCMessage

    private let send: Send
    private let onResync: @Sendable () -> Void
    private let state = Mutex<State>(State())

    struct State {
        var uris: Set<String> = []
        var current: Task<Void, Never>?
        var generation = 0
        var unsupported = false
        var stopped = false
        /// A stream is acknowledged, or listening failed: waiting for it is over.
        var settled = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// The stream a restart replaces, open until its successor is acknowledged.
        var retiring: Task<Void, Never>?
    }

    init(send: @escaping Send, onResync: @escaping @Sendable () -> Void) {
        self.send = send
        self.onResync = onResync
    }

    func start() { restart() }

    func subscribe(_ uri: String) {
        if state.withLock({ $0.uris.insert(uri).inserted }) { restart() }
    }

    func unsubscribe(_ uri: String) {
        if state.withLock({ $0.uris.remove(uri) != nil }) { restart() }
    }

    func stop() {
        let (tasks, waiters) = state.withLock { state -> ([Task<Void, Never>?], [CheckedContinuation<Void, Never>]) in
            state.stopped = true
            defer {
                state.current = nil
                state.retiring = nil
                state.waiters = []
            }
            return ([state.current, state.retiring], state.waiters)
        }
        for task in tasks { task?.cancel() }
        for waiter in waiters { waiter.resume() }
    }

    /// The backend acknowledged a stream: it is listening from now on.
    func acknowledged() {
        settle()
    }

    /// Ends every wait, and closes a replaced stream (its successor is listening, or failed).
    private func settle() {
        let (waiters, retiring) = state.withLock { state -> ([CheckedContinuation<Void, Never>], Task<Void, Never>?) in
            state.settled = true
            defer {
                state.waiters = []
                state.retiring = nil
            }
            return (state.waiters, state.retiring)
        }
        retiring?.cancel()
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the backend acknowledged a stream, listening failed, or `limit` passed.
    func waitUntilListening(limit: Duration) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { self?.settle() }
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.settled || state.stopped || state.unsupported { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func restart() {
        let next = state.withLock { state -> (params: [UInt8], generation: Int, previous: Task<Void, Never>?)? in
            guard !state.stopped, !state.unsupported else { return nil }
            state.generation += 1
            var filter = JSONObject([("toolsListChanged", true), ("promptsListChanged", true), ("resourcesListChanged", true)])
            if !state.uris.isEmpty { filter["resourceSubscriptions"] = .array(state.uris.sorted().map { .string($0) }) }
            return (JSONWriter.encode(["notifications": .object(filter)]), state.generation, state.current)
        }
        guard let next else { return }
        let task = Task<Void, Never> { [weak self] in await self?.listen(params: next.params, generation: next.generation) }
        let (orphaned, replaced) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            guard !state.stopped, state.generation == next.generation else { return (true, nil) }
            state.current = task
            // The old stream stays until the new one is acknowledged; one still retiring
            // from an earlier restart can go now.
            let replaced = state.retiring
            state.retiring = next.previous
            state.settled = false
            return (false, replaced)
        }
        if orphaned { task.cancel() }
        replaced?.cancel()
    }

    private func listen(params: [UInt8], generation: Int) async {
        var failures = 0
        while !Task.isCancelled {
            if failures > 0 {
                try? await Task.sleep(for: .milliseconds(min(250 << min(failures, 7), 30_000)))
                if Task.isCancelled { return }
                // Events may have been missed while no stream was open.
                onResync()
            }
            do throws(BackendError) {
                let reply = try await send(params[...])
                if reply.kind == .errorResponse {
                    if reply.errorValue()?.code == JSONRPCErrorCode.methodNotFound {
                        state.withLock { $0.unsupported = true }
                        settle()
                        return
                    }
                }
                // A graceful end (the server shuts down the stream) or an error: listen again.
                failures += 1
            } catch {
                switch error {
                case .cancelled, .closed: return
                default: failures += 1
                }
            }
            // No stream is listening now: nobody should wait for one.
            if failures == 1 { settle() }
            if state.withLock({ $0.stopped || $0.generation != generation }) { return }
        }
    }
}
