// One client's log level: what `logging/setLevel` from that client set (or, at 2026-07-28,
// what one request's `_meta` asked for). It filters only what that client receives; the
// backends' own level is the gateway's, derived from every client's (BackendLogLevel).

import MCPProtocol
import Synchronization

public final class ClientLogLevel: Sendable {
    private let state: Mutex<State>

    struct State {
        var level: LogSeverity?
        /// Set once the client chose a level, so the client's leaving updates the backends' level.
        var registry: BackendLogLevel?
    }

    /// `level` nil: the client has not chosen (it gets `LogSeverity.clientDefault` and above).
    public init(level: LogSeverity? = nil) {
        state = Mutex(State(level: level))
    }

    /// The threshold this client's messages are filtered at.
    public var threshold: LogSeverity { state.withLock { $0.level } ?? LogSeverity.clientDefault }

    func choose(_ level: LogSeverity, in registry: BackendLogLevel) {
        state.withLock {
            $0.level = level
            $0.registry = registry
        }
    }

    /// Whether a backend log message's params pass this client's level. A message without a
    /// known level is not forwarded: a level is required by the spec, and guessing one could
    /// flood a client that asked for errors only.
    public func allows(_ params: JSONValue) -> Bool {
        guard let name = params["level"]?.stringValue, let level = LogSeverity(name: name) else { return false }
        return level >= threshold
    }

    deinit {
        let registry = state.withLock { $0.registry }
        registry?.forget(ObjectIdentifier(self))
    }
}
