// DELETE across instances over a real PostgreSQL (scripts/postgres-test.sh; scripts/test.sh sets
// MCP_GATEWAY_TEST_DATABASE_URL): an instance holding the session closes it when another ends
// it, and one that starts later refuses the id from the first request on.

import Foundation
import GatewayAuth
import GatewayCluster
import GatewayCore
import GatewaySealing
@testable import GatewayStore
import Logging
import PostgresNIO
import Testing
@testable import GatewayServer

private let serverURL = ProcessInfo.processInfo.environment["MCP_GATEWAY_TEST_DATABASE_URL"]

@Suite(.enabled(if: serverURL != nil, "needs MCP_GATEWAY_TEST_DATABASE_URL (scripts/postgres-test.sh; scripts/test.sh starts it)"))
struct SharedSessionEndingsTests {
    let logger = Logger(label: "shared-endings-test")
    let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
    let ring: SealingKeyRing

    init() throws {
        ring = try SealingKeyRing(base64Keys: [SealingKeyRing.newKey()])
    }

    func freshDatabase() async throws -> DatabaseURL {
        var url = try DatabaseURL(try #require(serverURL))
        let name = "e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await ClusterStore.open(url, logger: logger)
        defer { admin.close() }
        try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        url.database = name
        return url
    }

    /// An instance: its session store, sharing endings through `store`, listening.
    func instance(_ store: ClusterStore) -> (sessions: SessionStore, listening: Task<Void, Never>) {
        let sessions = SessionStore(sealing: SessionSealing(ring: ring, purpose: "mcp-session"),
                                    shared: SharedSessionEndings(store: store, logger: logger))
        return (sessions, Task { await sessions.listenForEndings() })
    }

    func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<250 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func anEndOnOneInstanceClosesTheSessionOnTheOthersAndALaterOneRefusesIt() async throws {
        let url = try await freshDatabase()
        let storeA = try await ClusterStore.open(url, logger: logger)
        let storeB = try await ClusterStore.open(url, logger: logger)
        defer { storeA.close(); storeB.close() }
        let a = instance(storeA), b = instance(storeB)
        defer { a.listening.cancel(); b.listening.cancel() }
        let id = try #require(a.sessions.create(context: ClientContext(principal: alice))).id
        let onB = try #require(b.sessions.session(id, for: alice))
        // No wait for B's listener: an ending it missed before listening is loaded when it connects.
        #expect(await a.sessions.end(id, for: alice))
        #expect(try await eventually { b.sessions.count == 0 })
        #expect(onB.isClosed)
        #expect(b.sessions.session(id, for: alice) == nil)

        let storeC = try await ClusterStore.open(url, logger: logger)
        defer { storeC.close() }
        let c = instance(storeC)
        defer { c.listening.cancel() }
        #expect(try await eventually { c.sessions.ended.contains(id) })
        #expect(c.sessions.session(id, for: alice) == nil)
    }
}
