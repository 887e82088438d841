// Sealed session ids ended by DELETE, shared: an id ended on one instance is refused on all of
// them until it would have expired. Keyed by 16 bytes of the id's SHA-256 (the caller hashes;
// the id itself, a credential, never reaches the database).

import NIOCore
import PostgresNIO

extension ClusterStore {
    /// Records `idHash` as ended until `expires` (seconds since 1970); false if it already was.
    public func endSession(idHash: [UInt8], expires: Int) async throws -> Bool {
        var inserted = false
        let rows = try await client.query("""
            INSERT INTO mcp_gateway_ended_sessions (id_hash, expires_at) VALUES (\(ByteBuffer(bytes: idHash)), \(expires))
            ON CONFLICT (id_hash) DO NOTHING RETURNING 1
            """, logger: logger)
        for try await _ in rows { inserted = true }
        return inserted
    }

    /// Whether `idHash` was ended and has not expired by `now`.
    public func isSessionEnded(idHash: [UInt8], now: Int) async throws -> Bool {
        var ended = false
        let rows = try await client.query(
            "SELECT 1 FROM mcp_gateway_ended_sessions WHERE id_hash = \(ByteBuffer(bytes: idHash)) AND expires_at > \(now)", logger: logger)
        for try await _ in rows { ended = true }
        return ended
    }

    /// Deletes the entries that expired by `now`; returns how many.
    @discardableResult
    public func pruneEndedSessions(now: Int) async throws -> Int {
        var count = 0
        let rows = try await client.query(
            "DELETE FROM mcp_gateway_ended_sessions WHERE expires_at <= \(now) RETURNING 1", logger: logger)
        for try await _ in rows { count += 1 }
        return count
    }
}
