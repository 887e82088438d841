// The level the gateway sets on its backends: the most verbose level any client currently
// wants, but never less verbose than the clients' default (a client asking for errors only
// must not silence the others, who still filter at their own levels). Backends are shared, so
// no client's `logging/setLevel` reaches them as such; it changes this aggregate, and only a
// change of the aggregate is sent on.

import Synchronization

public final class BackendLogLevel: Sendable {
    /// Sends a level to every backend (running ones now, the others when they start).
    private let send: @Sendable (LogSeverity) async -> Void
    private let state = Mutex<State>(State())

    struct State {
        var chosen: [ObjectIdentifier: LogSeverity] = [:]
        /// The level last sent to the backends (nil: none yet; they log at their own default).
        var applied: LogSeverity?
    }

    init(send: @escaping @Sendable (LogSeverity) async -> Void) {
        self.send = send
    }

    convenience init(pool: BackendPool) {
        self.init { level in
            await withTaskGroup(of: Void.self) { group in
                for backend in pool.backends {
                    group.addTask { await backend.setLogLevel(level.name) }
                }
            }
        }
    }

    /// The aggregate for a set of chosen levels (nil when no client chose one).
    static func aggregate(_ chosen: some Collection<LogSeverity>) -> LogSeverity? {
        guard let mostVerbose = chosen.min() else { return nil }
        return min(mostVerbose, LogSeverity.clientDefault)
    }

    /// A client chose `level`: its own filter changes, and the backends follow if the aggregate did.
    func choose(_ level: LogSeverity, for client: ClientLogLevel) async {
        client.choose(level, in: self)
        let change = state.withLock { state -> LogSeverity? in
            state.chosen[ObjectIdentifier(client)] = level
            return Self.takeChange(&state)
        }
        if let change { await send(change) }
    }

    /// A client that chose a level is gone.
    func forget(_ client: ObjectIdentifier) {
        let change = state.withLock { state -> LogSeverity? in
            guard state.chosen.removeValue(forKey: client) != nil else { return nil }
            return Self.takeChange(&state)
        }
        if let change { Task { await self.send(change) } }
    }

    /// The new aggregate if it differs from what the backends have. With no chosen level left
    /// the backends keep their last one (MCP has no way back to a server's default).
    private static func takeChange(_ state: inout State) -> LogSeverity? {
        guard let wanted = aggregate(state.chosen.values), wanted != state.applied else { return nil }
        state.applied = wanted
        return wanted
    }

    /// The level last sent to the backends.
    public var applied: LogSeverity? { state.withLock { $0.applied } }
}
