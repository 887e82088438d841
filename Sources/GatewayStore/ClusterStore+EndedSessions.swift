// Sealed session ids ended by DELETE, shared: an id ended on one instance is refused on all of
// them until it would have expired. Keyed by 16 bytes of the id's SHA-256 (the caller hashes;
// the id itself, a credential, never reaches the database).

import NIOCore
import PostgresNIO

extension ClusterStore {
    /// Records `idHash` as ended until `expires` (seconds since 1970) and tells the other
    /// instances (ClusterEvent.sessionEnded, sent when the insert commits); false if it already was.
    public func endSession(idHash: [UInt8], expires: Int) async throws -> Bool {
        let payload = ClusterEvent.sessionEnded(idHash: idHash, expires: expires).payload
        return try await client.withTransaction(logger: logger) { connection in
            var inserted = false
            let rows = try await connection.query("""
                INSERT INTO mcp_gateway_ended_sessions (id_hash, expires_at) VALUES (\(ByteBuffer(bytes: idHash)), \(expires))
                ON CONFLICT (id_hash) DO NOTHING RETURNING 1
                """, logger: logger)
            for try await _ in rows { inserted = true }
            if inserted {
                try await connection.query("SELECT pg_notify(\(ClusterEvent.channel), \(payload))", logger: logger)
            }
            return inserted
        }
    }

    /// Every ended id that has not expired by `now`, with its expiry: what a (re)started
    /// listener loads, since notifications it missed are gone.
    public func endedSessions(now: Int) async throws -> [(idHash: [UInt8], expires: Int)] {
        var ended: [(idHash: [UInt8], expires: Int)] = []
        let rows = try await client.query(
            "SELECT id_hash, expires_at FROM mcp_gateway_ended_sessions WHERE expires_at > \(now)", logger: logger)
        for try await (hash, expires) in rows.decode((ByteBuffer, Int).self) {
            ended.append((Array(hash.readableBytesView), expires))
        }
        return ended
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
