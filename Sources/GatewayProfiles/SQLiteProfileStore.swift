// Tool profiles in an SQLite file through GRDB: one row per (server, tool, day), added to with
// an upsert per batch entry in one transaction. The schema is created and upgraded by GRDB's
// migrator (its `grdb_migrations` table is the version table), so an older file opens.

import GRDB

public final class SQLiteProfileStore: ToolProfileStore {
    private let database: DatabaseQueue

    /// Opens (creating if needed) the file at `path`; `readOnly` for tools that only read it
    /// (`mcp-gateway stats`), which then never create or upgrade anything.
    public init(path: String, readOnly: Bool = false) throws {
        var configuration = Configuration()
        configuration.readonly = readOnly
        // The gateway writes while `mcp-gateway stats` reads: wait for the lock, briefly.
        configuration.busyMode = .timeout(5)
        // A few rows a flush: SQLite's default page cache (2 MB) would only hold memory the
        // gateway's budget (issue 18: under 60 MB with 1,000 tools) has better uses for.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -128") }
        database = try DatabaseQueue(path: path, configuration: configuration)
        if !readOnly { try Self.migrator.migrate(database) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: tool_day") { db in
            try db.execute(sql: """
                CREATE TABLE tool_day (
                    server TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    calls INTEGER NOT NULL DEFAULT 0,
                    ok INTEGER NOT NULL DEFAULT 0,
                    tool_errors INTEGER NOT NULL DEFAULT 0,
                    errors INTEGER NOT NULL DEFAULT 0,
                    timeouts INTEGER NOT NULL DEFAULT 0,
                    cancelled INTEGER NOT NULL DEFAULT 0,
                    unavailable INTEGER NOT NULL DEFAULT 0,
                    bytes_in INTEGER NOT NULL DEFAULT 0,
                    bytes_out INTEGER NOT NULL DEFAULT 0,
                    latency_us INTEGER NOT NULL DEFAULT 0,
                    latency_buckets TEXT NOT NULL DEFAULT '',
                    last_used INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (server, tool, day)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: "CREATE INDEX tool_day_by_day ON tool_day(day)")
        }
        return migrator
    }

    public func add(_ batch: [ToolDayKey: ToolDayCounts]) async throws {
        guard !batch.isEmpty else { return }
        try await database.write { db in
            // Cached: SQLite parses each statement once per connection, not once per flush
            // (parsing was most of a flush's cost, callgrind).
            let read = try db.cachedStatement(sql: "SELECT latency_buckets FROM tool_day WHERE server = ? AND tool = ? AND day = ?")
            let upsert = try db.cachedStatement(sql: """
                    INSERT INTO tool_day (server, tool, day, calls, ok, tool_errors, errors, timeouts, cancelled, unavailable,
                                          bytes_in, bytes_out, latency_us, latency_buckets, last_used)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (server, tool, day) DO UPDATE SET
                        calls = calls + excluded.calls, ok = ok + excluded.ok, tool_errors = tool_errors + excluded.tool_errors,
                        errors = errors + excluded.errors, timeouts = timeouts + excluded.timeouts,
                        cancelled = cancelled + excluded.cancelled, unavailable = unavailable + excluded.unavailable,
                        bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out,
                        latency_us = latency_us + excluded.latency_us, latency_buckets = excluded.latency_buckets,
                        last_used = MAX(last_used, excluded.last_used)
                    """)
            for (key, counts) in batch {
                // Latency buckets add up in Swift: read the row's, merge, write back.
                let stored = try String.fetchOne(read, arguments: [key.server, key.tool, key.day])
                var buckets = LatencyBuckets(encoded: stored ?? "")
                buckets.add(counts.latency)
                try upsert.execute(arguments: [key.server, key.tool, key.day, counts.calls, counts.ok, counts.toolErrors, counts.errors,
                                               counts.timeouts, counts.cancelled, counts.unavailable, counts.bytesIn, counts.bytesOut,
                                               counts.latencyMicroseconds, buckets.encoded, counts.lastUsed])
            }
        }
    }

    public func rows(since day: Int, server: String?) async throws -> [ToolDayKey: ToolDayCounts] {
        try await database.read { db in
            var sql = "SELECT * FROM tool_day WHERE day >= ?"
            var arguments: StatementArguments = [day]
            if let server {
                sql += " AND server = ?"
                arguments += [server]
            }
            var rows: [ToolDayKey: ToolDayCounts] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let key = ToolDayKey(server: row["server"], tool: row["tool"], day: row["day"])
                var counts = ToolDayCounts()
                counts.calls = row["calls"]
                counts.ok = row["ok"]
                counts.toolErrors = row["tool_errors"]
                counts.errors = row["errors"]
                counts.timeouts = row["timeouts"]
                counts.cancelled = row["cancelled"]
                counts.unavailable = row["unavailable"]
                counts.bytesIn = row["bytes_in"]
                counts.bytesOut = row["bytes_out"]
                counts.latencyMicroseconds = row["latency_us"]
                counts.latency = LatencyBuckets(encoded: row["latency_buckets"])
                counts.lastUsed = row["last_used"]
                rows[key] = counts
            }
            return rows
        }
    }

    @discardableResult
    public func prune(before day: Int) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM tool_day WHERE day < ?", arguments: [day])
            return db.changesCount
        }
    }
}
