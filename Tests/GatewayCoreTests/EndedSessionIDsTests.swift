// The memory of deleted sealed ids: remembered until they expire, bounded, never the id itself.

import Foundation
import GatewayAuth
import GatewayCore
import GatewaySealing
import Testing
@testable import GatewayServer

@Suite struct EndedSessionIDsTests {
    @Test func rememberedOnceUntilPruned() {
        let ended = EndedSessionIDs()
        #expect(ended.insert("v1.k.aaaa", expires: 100))
        #expect(!ended.insert("v1.k.aaaa", expires: 100))
        #expect(ended.contains("v1.k.aaaa"))
        #expect(!ended.contains("v1.k.aaab"))
        ended.prune(now: 99)
        #expect(ended.contains("v1.k.aaaa"))
        ended.prune(now: 100)
        #expect(!ended.contains("v1.k.aaaa"))
        #expect(ended.count == 0)
    }

    @Test func aLoopOfDeletesCannotGrowItPastItsCapacityAndTheSoonestExpiriesGoFirst() {
        let ended = EndedSessionIDs(capacity: 100)
        for n in 0..<1000 { ended.insert("id-\(n)", expires: 10_000 + n) }
        #expect(ended.count <= 100)
        // The latest-expiring ids are the ones kept.
        #expect(ended.contains("id-999"))
        #expect(!ended.contains("id-0"))
    }

    @Test func aStoreForgetsTheSoonestDeletedIdsPastTheBoundAndOnlyTheirOwnerGetsThemBack() throws {
        let alice = Principal(name: "alice", method: .apiKey, isAdmin: false)
        let bob = Principal(name: "bob", method: .apiKey, isAdmin: false)
        let ring = try SealingKeyRing(base64Keys: [SealingKeyRing.newKey()])
        let store = SessionStore(sealing: SessionSealing(ring: ring, purpose: "mcp-session"), ended: EndedSessionIDs(capacity: 2))
        let context = ClientContext(principal: alice)
        let ids = try (0..<3).map { _ in try #require(store.create(context: context)).id }
        for id in ids { #expect(store.remove(id, for: alice)) }
        #expect(store.ended.count <= 2)
        let forgotten = ids.filter { !store.ended.contains($0) }
        #expect(!forgotten.isEmpty)
        for id in forgotten {
            #expect(store.session(id, for: bob) == nil)
            #expect(store.session(id, for: alice) != nil)
        }
        for id in ids where store.ended.contains(id) { #expect(store.session(id, for: alice) == nil) }
    }
}
