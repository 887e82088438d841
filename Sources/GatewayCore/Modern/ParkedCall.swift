// A tool call that is waiting on its client between rounds of a 2026-07-28 multi-round-trip
// exchange: the backend call keeps running; its questions wait here for the retry's answers.

import Foundation
import MCPProtocol
import Synchronization

final class ParkedCall: Sendable {
    enum Event: Sendable {
        case input(key: String, method: String, params: RawJSON?)
        /// The call's JSON-RPC response (its id is the first round's; callers re-id it).
        case finished([UInt8])
    }

    let id = UUID().uuidString
    private let state = Mutex<State>(State())

    struct State {
        var queue: [Event] = []
        var waiter: CheckedContinuation<Event, Never>?
        var answers: [String: CheckedContinuation<Result<RawJSON, JSONRPCErrorObject>, Never>] = [:]
        var nextKey = 1
        /// Where this round's notifications (progress) go.
        var sink: @Sendable ([UInt8]) -> Void = { _ in }
        var task: Task<Void, Never>?
    }

    func setSink(_ sink: @escaping @Sendable ([UInt8]) -> Void) { state.withLock { $0.sink = sink } }
    func notify(_ message: [UInt8]) { state.withLock { $0.sink }(message) }
    func setTask(_ task: Task<Void, Never>) { state.withLock { $0.task = task } }

    func post(_ event: Event) {
        let waiter = state.withLock { state -> CheckedContinuation<Event, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queue.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The next thing the client must hear about: a question or the final answer.
    func next() async -> Event {
        await withCheckedContinuation { continuation in
            let queued = state.withLock { state -> Event? in
                if !state.queue.isEmpty { return state.queue.removeFirst() }
                state.waiter = continuation
                return nil
            }
            if let queued { continuation.resume(returning: queued) }
        }
    }

    /// Questions already asked besides the first (a call can ask several before answering).
    func drainQueuedInputs() -> [Event] {
        state.withLock { state in
            let inputs = state.queue.filter { if case .input = $0 { return true } else { return false } }
            state.queue.removeAll { if case .input = $0 { return true } else { return false } }
            return inputs
        }
    }

    /// Called from the running call: asks the client, waits for the retry's answer.
    func ask(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        await withCheckedContinuation { continuation in
            let key = state.withLock { state -> String in
                let key = "q\(state.nextKey)"
                state.nextKey += 1
                state.answers[key] = continuation
                return key
            }
            post(.input(key: key, method: method, params: params))
        }
    }

    func answer(_ key: String, with outcome: Result<RawJSON, JSONRPCErrorObject>) -> Bool {
        guard let continuation = state.withLock({ $0.answers.removeValue(forKey: key) }) else { return false }
        continuation.resume(returning: outcome)
        return true
    }

    var openQuestions: [String] { state.withLock { Array($0.answers.keys) } }

    /// Abandoned: unblock the call's questions and cancel it (its backend gets notified), and
    /// release a waiter (the final answer is no longer wanted).
    func abandon() {
        let waiter = state.withLock { state -> CheckedContinuation<Event, Never>? in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .finished([]))
        let (answers, task) = state.withLock { state -> ([CheckedContinuation<Result<RawJSON, JSONRPCErrorObject>, Never>], Task<Void, Never>?) in
            defer { state.answers.removeAll() }
            return (Array(state.answers.values), state.task)
        }
        answers.forEach { $0.resume(returning: .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.requestCancelled, message: "the client never retried"))) }
        task?.cancel()
    }
}

/// The channel a parked call's backend requests go through.
struct ParkedCallChannel: ClientChannel {
    let context: ClientContext
    let call: ParkedCall

    func notify(_ message: [UInt8]) { call.notify(message) }

    func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        await call.ask(method: method, params: params)
    }
}

/// Parked calls by handle, each dropped (and its backend call cancelled) when its state expires.
final class ParkedCalls: Sendable {
    private let calls = Mutex<[String: (call: ParkedCall, expires: ContinuousClock.Instant)]>([:])

    func park(_ call: ParkedCall, for lifetime: Duration) {
        sweep()
        calls.withLock { $0[call.id] = (call, .now + lifetime) }
    }

    func take(_ handle: String) -> ParkedCall? {
        sweep()
        return calls.withLock { $0.removeValue(forKey: handle)?.call }
    }

    private func sweep() {
        let now = ContinuousClock.now
        let expired = calls.withLock { table -> [ParkedCall] in
            let old = table.filter { $0.value.expires < now }
            for key in old.keys { table[key] = nil }
            return old.values.map(\.call)
        }
        expired.forEach { $0.abandon() }
    }
}
