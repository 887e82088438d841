// The one `subscriptions/listen` stream the gateway keeps open to a 2026-07-28 backend:
// list changes and updates of the resources clients subscribed to. Listening is level
// triggered without replay, so after a drop it listens again and asks for a refetch.
// A change of the subscribed resources replaces the stream (new one first, then the old
// one is closed, so nothing falls in between).

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
        let task = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            defer { state.current = nil }
            return state.current
        }
        task?.cancel()
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
        let orphaned = state.withLock { state -> Bool in
            guard !state.stopped, state.generation == next.generation else { return true }
            state.current = task
            return false
        }
        if orphaned { task.cancel() }
        // The new stream is on its way; the old one can go.
        next.previous?.cancel()
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
            if state.withLock({ $0.stopped || $0.generation != generation }) { return }
        }
    }
}
