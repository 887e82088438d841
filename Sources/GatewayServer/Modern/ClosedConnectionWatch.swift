// Notices clients that closed their connection while a 2026-07-28 request is pending: in that
// era closing the response stream *is* the cancellation. The HTTP server reads nothing more
// from a connection until its response is done, so the close is never read; the kernel knows,
// though: the socket leaves ESTABLISHED (CLOSE_WAIT once the client's FIN arrived). One task
// polls the TCP state of every watched connection, and runs only while some are watched. A
// request is first checked once it has been pending for a whole interval: most answer within
// milliseconds, and asking a connection's event loop for its TCP state costs a thread hop.

import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

final class ClosedConnectionWatch: Sendable {
    static let interval: Duration = .milliseconds(100)
    private static let established: UInt8 = 1

    private struct Entry {
        let channel: any Channel
        let onClose: @Sendable () -> Void
        /// The poll tick during which the watch began.
        let since: UInt64
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextToken: UInt64 = 1
        var polling = false
        var tick: UInt64 = 0
    }

    private let state = Mutex<State>(State())

    /// Calls `onClose` once if the connection goes away before `unwatch(token)`.
    func watch(_ channel: any Channel, onClose: @escaping @Sendable () -> Void) -> UInt64 {
        let (token, startPolling) = state.withLock { state -> (UInt64, Bool) in
            let token = state.nextToken
            state.nextToken += 1
            state.entries[token] = Entry(channel: channel, onClose: onClose, since: state.tick)
            defer { state.polling = true }
            return (token, !state.polling)
        }
        if startPolling { Task { await self.poll() } }
        return token
    }

    func unwatch(_ token: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: token) }
    }

    private func poll() async {
        while true {
            try? await Task.sleep(for: Self.interval)
            let (entries, idle) = state.withLock { state -> ([(UInt64, Entry)], Bool) in
                state.tick += 1
                if state.entries.isEmpty {
                    state.polling = false
                    return ([], true)
                }
                let tick = state.tick
                return (state.entries.filter { $0.value.since + 1 < tick }.map { ($0.key, $0.value) }, false)
            }
            if idle { return }
            for (token, entry) in entries where await !Self.isOpen(entry.channel) {
                let removed = state.withLock { $0.entries.removeValue(forKey: token) }
                removed?.onClose()
            }
        }
    }

    private static func isOpen(_ channel: any Channel) async -> Bool {
        guard channel.isActive else { return false }
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider,
              let info = try? await provider.getTCPInfo().get() else { return true }
        return info.tcpi_state == established
        #else
        return true
        #endif
    }
}
