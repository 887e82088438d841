// The cluster database's schema, created and upgraded when an instance starts. Each migration
// runs once, in order, recorded in `mcp_gateway_schema`; instances that start together take a
// transaction-scoped advisory lock first, so exactly one of them applies a migration and the
// others find it applied. A database whose schema is newer than this binary knows is refused
// rather than written to.

import Logging
import PostgresNIO

enum SchemaMigrations {
    /// Arbitrary but fixed: the advisory lock every instance takes while migrating.
    static let lockKey: Int64 = 0x6D63_7067_7731 // "mcpgw1"

    /// Migration n (1-based) is `steps[n - 1]`. Append only: a released migration never changes.
    static let steps: [[PostgresQuery]] = [
        [
            // Sealed session ids ended by DELETE on any instance (16 bytes of the id's SHA-256),
            // refused everywhere until they would have expired.
            """
            CREATE TABLE mcp_gateway_ended_sessions (
                id_hash BYTEA PRIMARY KEY,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX mcp_gateway_ended_sessions_expiry ON mcp_gateway_ended_sessions (expires_at)",
        ],
    ]

    static var latest: Int { steps.count }

    /// Applies what is missing; returns the versions applied by this call (empty when the
    /// schema was current).
    @discardableResult
    static func run(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.withTransaction(logger: logger) { connection -> [Int] in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS mcp_gateway_schema (
                    version INTEGER PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var current = 0
            for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM mcp_gateway_schema",
                                                                 logger: logger).decode(Int.self) {
                current = version
            }
            guard current <= latest else { throw ClusterStoreError.schemaTooNew(found: current, known: latest) }
            var applied: [Int] = []
            for version in (current + 1)...max(current + 1, latest) where version <= latest {
                for statement in steps[version - 1] {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO mcp_gateway_schema (version) VALUES (\(version))", logger: logger)
                applied.append(version)
            }
            return applied
        }
    }
}
