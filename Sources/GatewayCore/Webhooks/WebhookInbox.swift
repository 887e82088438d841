// The webhook endpoints' state: each post is checked (known endpoint, size, rate, signature,
// timestamp, replay) and, once accepted, kept among the endpoint's latest events and announced
// to the subscribers of its resource `gateway://webhooks/{id}`. A replay is a post whose signed
// digest was accepted within `replay_window` (a sender's retry of a delivery it believes lost is
// refused as well, with 409, which senders treat as done). Time comes in as an argument, so the
// rules are tested without sleeping.

import Crypto
import Foundation
import GatewayConfig
import GatewayGovernance
import MCPProtocol
import Synchronization

public final class WebhookInbox: Sendable {
    public static let uriPrefix = "gateway://webhooks/"

    /// Why a post was refused, or the accepted event's id.
    public enum Receipt: Sendable, Equatable {
        case accepted(eventID: String)
        case unknownEndpoint
        case tooLarge(limit: Int)
        case limited(retryAfterMs: Int)
        case unsigned(header: String)
        case badSignature
        case staleTimestamp
        case replayed

        /// The HTTP status the sender gets.
        public var status: Int {
            switch self {
            case .accepted: return 202
            case .unknownEndpoint: return 404
            case .tooLarge: return 413
            case .limited: return 429
            case .unsigned, .badSignature, .staleTimestamp: return 401
            case .replayed: return 409
            }
        }
    }

    struct Event: Sendable {
        var id: String
        var receivedAt: Date
        var type: String?
        var data: JSONValue
    }

    struct Endpoint: Sendable {
        var settings: WebhookEndpointSettings
        var bucket: TokenBucket
        var events: [Event] = []
        /// Digests accepted, with when they may be forgotten (nanoseconds, monotonic).
        var seen: [[UInt8]: UInt64] = [:]
    }

    public let settings: WebhooksSettings
    private let endpoints: Mutex<[String: Endpoint]>
    /// Told the resource URI of every accepted event.
    private let onEvent: @Sendable (String) -> Void

    public init(settings: WebhooksSettings, now: UInt64 = WebhookInbox.monotonicNow(),
                onEvent: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.onEvent = onEvent
        var table: [String: Endpoint] = [:]
        for endpoint in settings.endpoints {
            table[endpoint.id] = Endpoint(settings: endpoint, bucket: TokenBucket(ratePerSecond: Double(settings.ratePerMinute) / 60,
                                                                                   capacity: settings.ratePerMinute, now: now))
        }
        endpoints = Mutex(table)
    }

    public static func uri(of id: String) -> String { uriPrefix + id }

    /// Nanoseconds on the monotonic clock, as the token bucket counts them.
    public static func monotonicNow() -> UInt64 { UInt64(max(0, MonotonicNanoseconds.now())) }

    /// The endpoint id a resource URI names, when it names one of ours.
    public func endpointID(ofURI uri: String) -> String? {
        guard uri.hasPrefix(Self.uriPrefix) else { return nil }
        let id = String(uri.dropFirst(Self.uriPrefix.count))
        return settings.endpoints.contains { $0.id == id } ? id : nil
    }

    /// Checks and keeps one post. `header` looks a request header up by name (any case).
    public func receive(id: String, body: [UInt8], header: (String) -> String?, now: UInt64 = WebhookInbox.monotonicNow(),
                        wallClock: Date = Date()) -> Receipt {
        let window = UInt64(max(0, settings.replayWindow.saturatingNanoseconds))
        let receipt = endpoints.withLock { table -> Receipt in
            guard var endpoint = table[id] else { return .unknownEndpoint }
            defer { table[id] = endpoint }
            if body.count > settings.maxBodySize { return .tooLarge(limit: settings.maxBodySize) }
            if let wait = endpoint.bucket.take(now: now) { return .limited(retryAfterMs: wait) }
            var signed = body
            var digest: [UInt8] = []
            if let secret = endpoint.settings.secret {
                guard let value = header(endpoint.settings.signatureHeader) else { return .unsigned(header: endpoint.settings.signatureHeader) }
                guard let sent = WebhookSignature.digest(inHeader: value) else { return .badSignature }
                if let timestampHeader = endpoint.settings.timestampHeader {
                    guard let stamp = header(timestampHeader), let seconds = Double(stamp.trimmingBlanksAndQuotes),
                          abs(wallClock.timeIntervalSince1970 - seconds) <= Double(window) / 1e9 else { return .staleTimestamp }
                    signed = Array(stamp.trimmingBlanksAndQuotes.utf8) + [UInt8(ascii: ".")] + body
                }
                guard WebhookSignature.isValid(sent, of: signed, secret: secret) else { return .badSignature }
                digest = sent
            } else {
                digest = Array(SHA256Digest.of(body))
            }
            endpoint.seen = endpoint.seen.filter { $0.value > now }
            if endpoint.seen[digest] != nil { return .replayed }
            endpoint.seen[digest] = now + window
            let event = Event(id: UUID().uuidString.lowercased(), receivedAt: wallClock,
                              type: endpoint.settings.eventHeader.flatMap(header) ?? Self.type(in: body), data: Self.data(body))
            endpoint.events.insert(event, at: 0)
            if endpoint.events.count > settings.keep { endpoint.events.removeLast(endpoint.events.count - settings.keep) }
            return .accepted(eventID: event.id)
        }
        if case .accepted = receipt { onEvent(Self.uri(of: id)) }
        return receipt
    }

    /// The resource list entries.
    public func resources() -> [JSONValue] {
        settings.endpoints.map { endpoint in
            var item = JSONObject()
            item["uri"] = .string(Self.uri(of: endpoint.id))
            item["name"] = .string("webhook-\(endpoint.id)")
            item["title"] = .string("Webhook \(endpoint.id)")
            item["description"] = .string(endpoint.description.isEmpty
                ? "The latest events posted to \(settings.basePath)/\(endpoint.id), newest first"
                : endpoint.description)
            item["mimeType"] = "application/json"
            return .object(item)
        }
    }

    /// The `resources/read` result of an endpoint's resource; nil for an unknown id.
    public func read(id: String) -> JSONValue? {
        guard let endpoint = endpoints.withLock({ $0[id] }) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let events: [JSONValue] = endpoint.events.map { event in
            var object = JSONObject()
            object["id"] = .string(event.id)
            object["received_at"] = .string(formatter.string(from: event.receivedAt))
            object["type"] = event.type.map(JSONValue.string) ?? .null
            object["data"] = event.data
            return .object(object)
        }
        let text = String(decoding: JSONWriter.encode(["endpoint": .string(id), "events": .array(events)]), as: UTF8.self)
        let content = JSONObject([("uri", .string(Self.uri(of: id))), ("mimeType", "application/json"), ("text", .string(text))])
        return ["contents": .array([.object(content)])]
    }

    /// The body as JSON when it is JSON, else as text.
    static func data(_ body: [UInt8]) -> JSONValue {
        (try? JSONParser.parse(body)) ?? .string(String(decoding: body, as: UTF8.self))
    }

    /// A JSON body's own `type` or `event` member (Stripe, Linear and most senders name it there).
    static func type(in body: [UInt8]) -> String? {
        guard let members = try? JSONScanner.members(of: body) else { return nil }
        for key in ["type", "event", "action"] {
            if let member = members.first(where: { $0.key == key }), let text = JSONScanner.string(in: body, range: member.range) {
                return text
            }
        }
        return nil
    }
}

private extension String {
    var trimmingBlanksAndQuotes: String {
        String(drop { $0 == " " || $0 == "\"" }.reversed().drop { $0 == " " || $0 == "\"" }.reversed())
    }
}

/// SHA-256 of an unsigned body, the replay key of endpoints without a secret.
enum SHA256Digest {
    static func of(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
