// WebhookInbox's rules with the clock passed in: a signed post is kept and announced; unsigned,
// forged, stale, oversized, replayed and rate-limited ones are refused with their own status and
// announced to nobody; the resource keeps the latest `keep` events, newest first.

import Foundation
import GatewayConfig
@testable import GatewayCore
import MCPProtocol
import Synchronization
import Testing

@Suite struct WebhookInboxTests {
    static let secret = "0123456789abcdef-secret"

    final class Announced: Sendable {
        let uris = Mutex<[String]>([])
    }

    static func inbox(_ settings: WebhooksSettings = WebhooksSettings.testing(ratePerMinute: 3, keep: 2), announced: Announced = Announced()) -> WebhookInbox {
        WebhookInbox(settings: settings, now: 0) { uri in announced.uris.withLock { $0.append(uri) } }
    }

    static func headers(_ pairs: [String: String]) -> (String) -> String? {
        { name in pairs.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    static func signed(_ body: String, prefix: String = "") -> (String) -> String? {
        headers(["X-Signature-256": prefix + WebhookSignature.sign(Array(body.utf8), secret: secret)])
    }

    @Test func aSignedPostIsKeptAndAnnounced() throws {
        let announced = Announced()
        let inbox = Self.inbox(announced: announced)
        let body = #"{"type":"push","n":1}"#
        guard case .accepted(let id) = inbox.receive(id: "gh", body: Array(body.utf8), header: Self.signed(body), now: 1) else {
            Issue.record("not accepted")
            return
        }
        #expect(announced.uris.withLock { $0 } == ["gateway://webhooks/gh"])
        let read = try #require(inbox.read(id: "gh"))
        let text = try #require(read["contents"]?.arrayValue?.first?["text"]?.stringValue)
        let events = try JSONParser.parse(text)["events"]?.arrayValue ?? []
        #expect(events.first?["id"] == .string(id))
        #expect(events.first?["type"] == .string("push"))
        #expect(events.first?["data"] == .object(JSONObject([("type", "push"), ("n", 1)])))
        #expect(inbox.receive(id: "gh", body: Array("y".utf8), header: Self.signed("y", prefix: "sha256="), now: 2) != .badSignature)
    }

    @Test func refusalsHaveTheirOwnStatusesAndAnnounceNothing() {
        let announced = Announced()
        let inbox = Self.inbox(WebhooksSettings.testing(maxBodySize: 10, replayWindow: .seconds(60)), announced: announced)
        let body = #"{"a":1}"#
        #expect(inbox.receive(id: "gh", body: Array(body.utf8), header: Self.headers([:]), now: 1) == .unsigned(header: "X-Signature-256"))
        #expect(inbox.receive(id: "gh", body: Array(body.utf8), header: Self.headers(["X-Signature-256": "sha256=00"]), now: 1) == .badSignature)
        let forged = WebhookSignature.sign(Array(body.utf8), secret: "another-secret-entirely")
        #expect(inbox.receive(id: "gh", body: Array(body.utf8), header: Self.headers(["X-Signature-256": forged]), now: 1) == .badSignature)
        #expect(inbox.receive(id: "gh", body: Array(repeating: 120, count: 11), header: Self.signed("x"), now: 1) == .tooLarge(limit: 10))
        #expect(inbox.receive(id: "nope", body: Array(body.utf8), header: Self.signed(body), now: 1) == .unknownEndpoint)
        #expect(announced.uris.withLock { $0 }.isEmpty)
        #expect(WebhookInbox.Receipt.replayed.status == 409 && WebhookInbox.Receipt.badSignature.status == 401)
    }

    @Test func aReplayIsRefusedWithinTheWindowAndForgottenAfter() {
        let inbox = Self.inbox(WebhooksSettings.testing(ratePerMinute: 100, replayWindow: .seconds(60)))
        let body = #"{"delivery":1}"#
        guard case .accepted = inbox.receive(id: "gh", body: Array(body.utf8), header: Self.signed(body), now: 1) else {
            Issue.record("not accepted")
            return
        }
        #expect(inbox.receive(id: "gh", body: Array(body.utf8), header: Self.signed(body), now: 30_000_000_000) == .replayed)
        guard case .accepted = inbox.receive(id: "gh", body: Array(body.utf8), header: Self.signed(body), now: 61_000_000_001) else {
            Issue.record("not accepted after the window")
            return
        }
    }

    @Test func theRateIsPerEndpointPerMinute() {
        let inbox = Self.inbox(WebhooksSettings.testing(ratePerMinute: 2))
        for n in 0..<2 {
            let body = "{\"n\":\(n)}"
            guard case .accepted = inbox.receive(id: "gh", body: Array(body.utf8), header: Self.signed(body), now: 1) else {
                Issue.record("post \(n) not accepted")
                return
            }
        }
        #expect(inbox.receive(id: "gh", body: Array("{}".utf8), header: Self.signed("{}"), now: 1) == .limited(retryAfterMs: 30_000))
        // Another endpoint has its own budget.
        guard case .accepted = inbox.receive(id: "other", body: Array("{}".utf8), header: Self.signed("{}"), now: 1) else {
            Issue.record("the other endpoint was limited too")
            return
        }
    }

    @Test func aTimestampedSignatureCoversTheTimestampAndMustBeFresh() {
        var settings = WebhooksSettings()
        settings.endpoints = [WebhookEndpointSettings(id: "stripe", secret: Self.secret, timestampHeader: "X-Timestamp")]
        let inbox = WebhookInbox(settings: settings, now: 0) { _ in }
        let body = #"{"type":"invoice.paid"}"#
        let wall = Date(timeIntervalSince1970: 1_800_000_000)
        func post(stamp: String, signedStamp: String, at now: UInt64) -> WebhookInbox.Receipt {
            let signature = WebhookSignature.sign(Array((signedStamp + "." + body).utf8), secret: Self.secret)
            return inbox.receive(id: "stripe", body: Array(body.utf8), header: Self.headers(["X-Timestamp": stamp, "X-Signature-256": signature]),
                                 now: now, wallClock: wall)
        }
        guard case .accepted = post(stamp: "1800000000", signedStamp: "1800000000", at: 1) else {
            Issue.record("a fresh timestamp was refused")
            return
        }
        #expect(post(stamp: "1799990000", signedStamp: "1799990000", at: 2) == .staleTimestamp)
        #expect(post(stamp: "1800000001", signedStamp: "1800000000", at: 3) == .badSignature)
        #expect(inbox.receive(id: "stripe", body: Array(body.utf8), header: Self.signed(body), now: 4, wallClock: wall) == .staleTimestamp)
    }

    @Test func onlyTheLatestEventsAreKeptNewestFirst() throws {
        let inbox = Self.inbox(WebhooksSettings.testing(ratePerMinute: 100, keep: 2))
        for n in 1...3 {
            let body = "{\"event\":\"e\(n)\"}"
            _ = inbox.receive(id: "gh", body: Array(body.utf8), header: Self.signed(body), now: UInt64(n))
        }
        let text = try #require(inbox.read(id: "gh")?["contents"]?.arrayValue?.first?["text"]?.stringValue)
        let types = try JSONParser.parse(text)["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue }
        #expect(types == ["e3", "e2"])
        #expect(inbox.endpointID(ofURI: "gateway://webhooks/gh") == "gh")
        #expect(inbox.endpointID(ofURI: "gateway://webhooks/zz") == nil)
        #expect(inbox.resources().count == 2)
    }
}

extension WebhooksSettings {
    /// Two signed endpoints, `gh` and `other`, for the tests.
    static func testing(ratePerMinute: Int = 100, maxBodySize: Int = 256 * 1024, keep: Int = 50,
                        replayWindow: Duration = .seconds(300)) -> WebhooksSettings {
        WebhooksSettings(ratePerMinute: ratePerMinute, maxBodySize: maxBodySize, keep: keep, replayWindow: replayWindow,
                         endpoints: [WebhookEndpointSettings(id: "gh", secret: WebhookInboxTests.secret),
                                     WebhookEndpointSettings(id: "other", secret: WebhookInboxTests.secret)])
    }
}
