// Listening to the other instances: one pooled connection LISTENs on the events channel for as
// long as the calling task runs. A lost connection is re-opened after a backoff with jitter, and
// each time the listener is (re)established `synced` runs first, so the caller can re-read the
// state whose notifications it may have missed.

import Logging
import PostgresNIO

extension ClusterStore {
    /// Runs until the task is cancelled, handing every event to `handle`.
    public func listen(synced: @escaping @Sendable () async -> Void, handle: @escaping @Sendable (ClusterEvent) async -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: ClusterEvent.channel) { notifications in
                        failures = 0
                        await synced()
                        for try await notification in notifications {
                            await handle(ClusterEvent(payload: notification.payload))
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.warning("cluster events: listening failed, retrying", metadata: [
                    "error": "\(ClusterStoreError.describe(error))", "failures": "\(failures)"])
            }
            // Full jitter over an exponential ceiling of 0.25 s to 15 s.
            let ceiling = min(15.0, 0.25 * Double(1 << min(failures, 6)))
            try? await Task.sleep(for: .seconds(Double.random(in: 0...ceiling)))
        }
    }

    /// Tells every listening instance (this one included) about `event`.
    public func publish(_ event: ClusterEvent) async throws {
        try await client.query("SELECT pg_notify(\(ClusterEvent.channel), \(event.payload))", logger: logger)
    }
}
