// Sessions with sealed ids (SessionSealing): an instance that shares the keys serves a session
// another one created, for its owner only; DELETE, expiry and the session budget hold there too.

import Foundation
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewaySealing
import MCPProtocol
import Testing
@testable import GatewayServer

@Suite struct SealedSessionStoreTests {
    let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
    let bob = Principal(name: "bob", method: .apiKey, isAdmin: false)
    let keys = [SealingKeyRing.newKey(), SealingKeyRing.newKey()]

    func store(_ keys: [String], purpose: String = "mcp-session", lifetime: Duration = SessionSealing.defaultLifetime,
               maxSessions: Int = 100) throws -> SessionStore {
        var limits = ServerLimits()
        limits.maxSessions = maxSessions
        return SessionStore(limits: limits, sealing: SessionSealing(ring: try SealingKeyRing(base64Keys: keys), purpose: purpose,
                                                                    lifetime: lifetime))
    }

    func context(_ principal: Principal) -> ClientContext {
        ClientContext(principal: principal, protocolVersion: "2025-06-18",
                      capabilities: .object(JSONObject([("elicitation", .object(JSONObject()))])), frontEnd: .streamableHTTP)
    }

    @Test func anotherInstanceServesTheSessionWithWhatInitializeNegotiated() throws {
        let first = try store(keys), second = try store(keys)
        let created = try #require(first.create(context: context(alice)))
        #expect(created.id.hasPrefix("v1."))
        let resumed = try #require(second.session(created.id, for: alice))
        #expect(resumed.id == created.id)
        #expect(resumed.context.protocolVersion == "2025-06-18")
        #expect(resumed.context.capabilities?["elicitation"] != nil)
        #expect(resumed.context.sessionID == created.id)
        #expect(resumed.context.principal.isSameOwner(as: alice))
        // Later requests find the same local session.
        #expect(second.session(created.id, for: alice) === resumed)
        #expect(second.count == 1)
    }

    @Test func onlyTheOwnerAndOnlyWithTheKeysAndThePurpose() throws {
        let first = try store(keys)
        let id = try #require(first.create(context: context(alice))).id
        #expect(try store(keys).session(id, for: bob) == nil)
        #expect(try store([SealingKeyRing.newKey()]).session(id, for: alice) == nil)
        #expect(try store(keys, purpose: "mcp-direct-session").session(id, for: alice) == nil)
        // A store without keys knows only its own random ids.
        #expect(SessionStore().session(id, for: alice) == nil)
        // The older key still opens it after a rotation.
        #expect(try store([SealingKeyRing.newKey()] + keys).session(id, for: alice) != nil)
    }

    @Test func deleteEndsItHereEvenOnAnInstanceThatNeverHeldIt() throws {
        let first = try store(keys), second = try store(keys)
        let id = try #require(first.create(context: context(alice))).id
        #expect(first.remove(id, for: alice))
        #expect(first.session(id, for: alice) == nil)
        #expect(!first.remove(id, for: alice))
        // Another instance that never saw it: bob cannot end it, alice can, once.
        #expect(!second.remove(id, for: bob))
        #expect(second.remove(id, for: alice))
        #expect(second.session(id, for: alice) == nil)
        #expect(!second.remove(id, for: alice))
    }

    @Test func anExpiredIdIsRefusedAndALocalSessionEndsWithIt() async throws {
        let first = try store(keys, lifetime: .seconds(1))
        let session = try #require(first.create(context: context(alice)))
        #expect(first.session(session.id, for: alice) != nil)
        try await Task.sleep(for: .milliseconds(2100))
        #expect(first.session(session.id, for: alice) == nil)
        #expect(first.count == 0)
        #expect(try store(keys).session(session.id, for: alice) == nil)
    }

    @Test func resumedSessionsTakeASlotOfTheBudget() throws {
        let first = try store(keys)
        let ids = try (0..<3).map { _ in try #require(first.create(context: context(alice))).id }
        let small = try store(keys, maxSessions: 2)
        #expect(small.session(ids[0], for: alice) != nil)
        #expect(small.session(ids[1], for: alice) != nil)
        #expect(small.session(ids[2], for: alice) == nil)
        #expect(small.remove(ids[0], for: alice))
        #expect(small.session(ids[2], for: alice) != nil)
    }

    @Test func reapedWhileIdleItComesBackOnTheNextRequest() throws {
        var limits = ServerLimits()
        limits.sessionIdleTimeout = .zero
        let store = SessionStore(limits: limits, sealing: SessionSealing(ring: try SealingKeyRing(base64Keys: keys), purpose: "mcp-session"))
        let id = try #require(store.create(context: context(alice))).id
        store.reap()
        #expect(store.count == 0)
        #expect(store.session(id, for: alice) != nil)
    }
}

@Suite struct SessionSealingCapabilitiesTests {
    @Test func hugeCapabilitiesKeepWhatTheGatewayActsOnSoTheIdStaysAHeader() throws {
        let ring = try SealingKeyRing(base64Keys: [SealingKeyRing.newKey()])
        let sealing = SessionSealing(ring: ring, purpose: "mcp-session")
        let bulky = JSONValue.object(JSONObject([
            ("experimental", .object(JSONObject([("blob", .string(String(repeating: "x", count: 50_000)))]))),
            ("elicitation", .object(JSONObject([("form", .object(JSONObject()))]))),
            ("roots", .object(JSONObject([("listChanged", .bool(true))]))),
        ]))
        let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
        let minted = try #require(sealing.mint(ClientContext(principal: alice, capabilities: bulky)))
        #expect(minted.id.utf8.count < 4096)
        let claims = try #require(sealing.open(minted.id))
        #expect(claims.capabilities?["experimental"] == nil)
        #expect(claims.capabilities?["elicitation"]?["form"] != nil)
        #expect(claims.capabilities?["roots"]?["listChanged"] == .bool(true))
        // Ordinary capabilities are sealed whole.
        let small = JSONValue.object(JSONObject([("experimental", .object(JSONObject([("x", .int(1))]))), ("sampling", .object(JSONObject()))]))
        let plain = try #require(sealing.mint(ClientContext(principal: alice, capabilities: small)))
        #expect(sealing.open(plain.id)?.capabilities == small)
    }
}
