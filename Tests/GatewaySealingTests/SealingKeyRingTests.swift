// The cluster's key ring: what one instance seals another opens, rotation keeps old tokens
// working, and nothing altered, retired or sealed for another purpose opens.

import Foundation
@testable import GatewaySealing
import Testing

@Suite struct SealingKeyRingTests {
    let old = SealingKeyRing.newKey()
    let new = SealingKeyRing.newKey()

    @Test func anotherInstanceWithTheSameKeysOpensWhatOneSealed() throws {
        let first = try SealingKeyRing(base64Keys: [new, old])
        let second = try SealingKeyRing(base64Keys: [new, old])
        let token = try #require(first.seal(Array("hello".utf8), purpose: "session"))
        #expect(second.open(token, purpose: "session") == Array("hello".utf8))
        // URL-safe, so it can travel in a header or a URL as it is.
        #expect(token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") })
    }

    @Test func rotationKeepsTokensOfTheOlderKeyAndRetiringItEndsThem() throws {
        let before = try SealingKeyRing(base64Keys: [old])
        let token = try #require(before.seal(Array("s".utf8), purpose: "session"))
        let rotated = try SealingKeyRing(base64Keys: [new, old])
        #expect(rotated.open(token, purpose: "session") == Array("s".utf8))
        // New tokens are sealed with the newest key: an instance that has only the new key opens them.
        let fresh = try #require(rotated.seal(Array("t".utf8), purpose: "session"))
        #expect(try SealingKeyRing(base64Keys: [new]).open(fresh, purpose: "session") == Array("t".utf8))
        #expect(before.open(fresh, purpose: "session") == nil)
        let retired = try SealingKeyRing(base64Keys: [new])
        #expect(retired.open(token, purpose: "session") == nil)
    }

    @Test func aTokenForAnotherPurposeOrAlteredOrUnderAnotherKeyDoesNotOpen() throws {
        let ring = try SealingKeyRing(base64Keys: [new])
        let token = try #require(ring.seal(Array("owner=alice".utf8), purpose: "session"))
        #expect(ring.open(token, purpose: "request-state") == nil)
        // Every single-character change of the sealed part is refused.
        let prefix = token.prefix(while: { $0 != "." }).count + 10
        var altered = 0
        for offset in prefix..<token.count {
            var characters = Array(token)
            characters[offset] = characters[offset] == "A" ? "B" : "A"
            if ring.open(String(characters), purpose: "session") == nil { altered += 1 }
        }
        #expect(altered == token.count - prefix)
        #expect(try SealingKeyRing(base64Keys: [old]).open(token, purpose: "session") == nil)
        #expect(SealingKeyRing.ephemeral().open(token, purpose: "session") == nil)
        for garbage in ["", "v1.", "v1..", "v2.abc.def", "v1.\(token.split(separator: ".")[1]).!!!!", "not a token at all", "v1.x.AAAA"] {
            #expect(ring.open(garbage, purpose: "session") == nil)
        }
    }

    @Test func keysAreCheckedAndTheErrorSaysHowToMakeOne() throws {
        #expect(throws: SealingKeyError.empty) { try SealingKeyRing(base64Keys: []) }
        #expect(throws: SealingKeyError.notBase64(position: 1)) { try SealingKeyRing(base64Keys: [new, "not base64!"]) }
        let short = Data(repeating: 7, count: 16).base64EncodedString()
        #expect(throws: SealingKeyError.wrongLength(position: 0, bytes: 16)) { try SealingKeyRing(base64Keys: [short]) }
        #expect(throws: SealingKeyError.duplicate(position: 2, first: 0)) { try SealingKeyRing(base64Keys: [new, old, new]) }
        #expect(SealingKeyError.wrongLength(position: 0, bytes: 16).description.contains("mcp-gateway cluster new-key"))
        // Both base64 alphabets, with or without padding, and surrounding white space.
        let bytes = Data((0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + 250) })
        let standard = bytes.base64EncodedString()
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let a = try SealingKeyRing(base64Keys: [" \(standard)\n"])
        let b = try SealingKeyRing(base64Keys: [urlSafe])
        let token = try #require(a.seal(Array("x".utf8), purpose: "p"))
        #expect(b.open(token, purpose: "p") == Array("x".utf8))
    }

    @Test func newKeysAreRandomAnd32Bytes() throws {
        let keys = (0..<50).map { _ in SealingKeyRing.newKey() }
        #expect(Set(keys).count == 50)
        for key in keys { #expect(Data(base64Encoded: key)?.count == 32) }
    }
}
