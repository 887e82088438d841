// The cluster store against a real PostgreSQL server (scripts/postgres-test.sh, started by
// scripts/test.sh, which sets MCP_GATEWAY_TEST_DATABASE_URL). Each test gets a database of its own.

import Foundation
@testable import GatewayStore
import Logging
import PostgresNIO
import Testing

private let serverURL = ProcessInfo.processInfo.environment["MCP_GATEWAY_TEST_DATABASE_URL"]

@Suite(.enabled(if: serverURL != nil, "needs MCP_GATEWAY_TEST_DATABASE_URL (scripts/postgres-test.sh; scripts/test.sh starts it)"))
struct ClusterStoreTests {
    let logger = Logger(label: "cluster-store-test")

    /// A new empty database on the test server, and its URL.
    func freshDatabase() async throws -> DatabaseURL {
        var admin = try DatabaseURL(try #require(serverURL))
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let store = try await ClusterStore.open(admin, logger: logger)
        defer { store.close() }
        try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        admin.database = name
        return admin
    }

    @Test func migrationsRunOnceAndAgainFindNothingToDo() async throws {
        let url = try await freshDatabase()
        let first = try await ClusterStore.open(url, logger: logger)
        #expect(try await first.schemaVersion() == SchemaMigrations.latest)
        #expect(try await first.client.withConnection { try await SchemaMigrations.run(on: $0, logger: logger) } == [])
        first.close()
        let second = try await ClusterStore.open(url, logger: logger)
        defer { second.close() }
        var rows = 0
        for try await _ in try await second.client.query("SELECT version FROM mcp_gateway_schema", logger: logger) { rows += 1 }
        #expect(rows == SchemaMigrations.latest)
    }

    @Test func instancesStartingTogetherMigrateExactlyOnce() async throws {
        let url = try await freshDatabase()
        let stores = try await withThrowingTaskGroup(of: ClusterStore.self) { group in
            for _ in 0..<6 { group.addTask { try await ClusterStore.open(url, logger: logger) } }
            return try await group.reduce(into: [ClusterStore]()) { $0.append($1) }
        }
        defer { stores.forEach { $0.close() } }
        var rows = 0
        for try await _ in try await stores[0].client.query("SELECT version FROM mcp_gateway_schema", logger: logger) { rows += 1 }
        #expect(rows == SchemaMigrations.latest)
    }

    @Test func aSchemaNewerThanThisBinaryIsRefused() async throws {
        let url = try await freshDatabase()
        let store = try await ClusterStore.open(url, logger: logger)
        try await store.client.query("INSERT INTO mcp_gateway_schema (version) VALUES (\(SchemaMigrations.latest + 1))", logger: logger)
        store.close()
        await #expect(throws: ClusterStoreError.self) { try await ClusterStore.open(url, logger: logger).close() }
    }

    @Test func anEndedSessionIsSeenByEveryInstanceUntilItExpires() async throws {
        let url = try await freshDatabase()
        let one = try await ClusterStore.open(url, logger: logger)
        let other = try await ClusterStore.open(url, logger: logger)
        defer { one.close(); other.close() }
        let hash = Array((0..<16).map { UInt8($0) })
        #expect(!(try await other.isSessionEnded(idHash: hash, now: 1_000)))
        #expect(try await one.endSession(idHash: hash, expires: 2_000))
        #expect(!(try await other.endSession(idHash: hash, expires: 2_000)))
        #expect(try await other.isSessionEnded(idHash: hash, now: 1_999))
        #expect(!(try await other.isSessionEnded(idHash: hash, now: 2_000)))
        #expect(try await other.pruneEndedSessions(now: 1_999) == 0)
        #expect(try await other.pruneEndedSessions(now: 2_000) == 1)
    }

    @Test func anotherInstanceHearsOfAnEndedSessionAndAListenerLoadsWhatItMissed() async throws {
        let url = try await freshDatabase()
        let one = try await ClusterStore.open(url, logger: logger)
        let other = try await ClusterStore.open(url, logger: logger)
        defer { one.close(); other.close() }
        let expiry = Int(Date().timeIntervalSince1970) + 3600
        let before = Array(repeating: UInt8(7), count: 16)
        #expect(try await one.endSession(idHash: before, expires: expiry))
        let heard = EventLog()
        let listening = Task {
            await other.listen(synced: {
                // What was ended before this listener started is read from the table.
                let loaded = (try? await other.endedSessions(now: Int(Date().timeIntervalSince1970))) ?? []
                await heard.synced(loaded.map(\.idHash))
            }, handle: { await heard.add($0) })
        }
        defer { listening.cancel() }
        try await heard.waitUntil { $0.syncs > 0 }
        #expect(await heard.loaded == [before])
        let hash = Array((0..<16).map { UInt8($0 * 3) })
        #expect(try await one.endSession(idHash: hash, expires: expiry))
        try await heard.waitUntil { $0.events.contains(.sessionEnded(idHash: hash, expires: expiry)) }
        // Ended twice: told once.
        #expect(!(try await one.endSession(idHash: hash, expires: expiry)))
        try await one.publish(.unknown("marker"))
        try await heard.waitUntil { $0.events.contains(.unknown("marker")) }
        #expect(await heard.events.filter { $0 == .sessionEnded(idHash: hash, expires: expiry) }.count == 1)

        // The database drops the listener's connection: it comes back, loads again, and hears.
        try await one.client.query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = \(url.database) AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()
            """, logger: logger)
        try await heard.waitUntil { $0.syncs > 1 }
        let after = Array(repeating: UInt8(9), count: 16)
        #expect(try await one.endSession(idHash: after, expires: expiry))
        try await heard.waitUntil { $0.events.contains(.sessionEnded(idHash: after, expires: expiry)) }
    }

    @Test func aWrongPasswordOrNoServerIsAClearErrorWithoutThePassword() async throws {
        var url = try DatabaseURL(try #require(serverURL))
        url.password = "wrong-secret-password"
        do {
            try await ClusterStore.open(url, logger: logger).close()
            Issue.record("opened with a wrong password")
        } catch {
            #expect("\(error)".contains("password authentication failed"), "\(error)")
            #expect(!"\(error)".contains("wrong-secret-password"))
        }
        var closed = try DatabaseURL(try #require(serverURL))
        closed.port = 1
        do {
            try await ClusterStore.open(closed, connectTimeout: .seconds(2), logger: logger).close()
            Issue.record("opened a closed port")
        } catch {
            #expect("\(error)".contains("cannot be used"), "\(error)")
        }
    }
}

/// What a listener heard, for the tests to wait on.
private actor EventLog {
    var events: [ClusterEvent] = []
    var loaded: [[UInt8]] = []
    var syncs = 0

    func add(_ event: ClusterEvent) { events.append(event) }

    func synced(_ hashes: [[UInt8]]) {
        loaded = hashes
        syncs += 1
    }

    /// Polls every 20 ms, up to 10 s.
    nonisolated func waitUntil(_ condition: @escaping @Sendable (isolated EventLog) -> Bool) async throws {
        for _ in 0..<500 {
            if await check(condition) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("not heard within 10 s")
    }

    private func check(_ condition: @Sendable (isolated EventLog) -> Bool) -> Bool { condition(self) }
}
