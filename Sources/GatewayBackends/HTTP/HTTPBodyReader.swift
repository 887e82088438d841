// Turns an HTTP response body into JSON-RPC messages: a JSON body (one message or a batch)
// or a text/event-stream whose `message` events each carry one.

import AsyncHTTPClient
import Foundation
import MCPProtocol
import NIOCore

enum HTTPBodyReader {
    static let maximumJSONBody = 64 * 1024 * 1024

    static func isEventStream(_ response: HTTPClientResponse) -> Bool {
        (response.headers.first(name: "content-type") ?? "").lowercased().hasPrefix("text/event-stream")
    }

    /// Delivers every message in the body; returns when the body ends.
    static func deliver(_ response: HTTPClientResponse, to receiver: TransportReceiver, relatedRequest: Int? = nil,
                        onEventID: (@Sendable (String) -> Void)? = nil) async throws {
        if isEventStream(response) {
            var parser = SSEParser()
            for try await chunk in response.body {
                for event in parser.feed(chunk.readableBytesView) {
                    if let id = event.id { onEventID?(id) }
                    guard event.type == "message", !event.data.isEmpty else { continue }
                    receiver(.message(Array(event.data.utf8), relatedRequest: relatedRequest))
                }
            }
        } else {
            let body = try await response.body.collect(upTo: maximumJSONBody)
            let bytes = Array(body.readableBytesView)
            guard bytes.contains(where: { $0 > 0x20 }) else { return }
            if JSONScanner.isArray(bytes) {
                for range in (try? JSONScanner.elements(of: bytes, in: 0..<bytes.count)) ?? [] {
                    receiver(.message(Array(bytes[range]), relatedRequest: relatedRequest))
                }
            } else {
                receiver(.message(bytes, relatedRequest: relatedRequest))
            }
        }
    }

    /// A short, printable excerpt of an error body.
    static func excerpt(_ response: HTTPClientResponse) async -> String {
        guard let body = try? await response.body.collect(upTo: 4096) else { return "" }
        return excerpt(Array(body.readableBytesView))
    }

    static func excerpt(_ bytes: [UInt8]) -> String {
        String(String(decoding: bytes, as: UTF8.self).prefix(300)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An error body: the JSON-RPC error response it carries, if any, and an excerpt.
    static func refusal(_ response: HTTPClientResponse) async -> (reply: [UInt8]?, excerpt: String) {
        guard let body = try? await response.body.collect(upTo: 65536) else { return (nil, "") }
        let bytes = Array(body.readableBytesView)
        if let message = try? JSONRPCMessage.decode(bytes), message.kind == .errorResponse, message.id != nil {
            return (bytes, excerpt(bytes))
        }
        return (nil, excerpt(bytes))
    }
}
