// Turns an HTTP response body into JSON-RPC messages: a JSON body (one message or a batch)
// or a text/event-stream whose `message` events each carry one.

import Foundation
import MCPProtocol
import NIOCore

enum HTTPBodyReader {
    /// Delivers every message in the body; returns when the body ends.
    static func deliver(_ response: BackendHTTPResponse, to receiver: TransportReceiver, relatedRequest: Int? = nil,
                        onEventID: (@Sendable (String) -> Void)? = nil) async throws {
        switch response.body {
        case .stream(let chunks):
            var parser = SSEParser()
            for try await chunk in chunks {
                for event in parser.feed(chunk.readableBytesView) {
                    if let id = event.id { onEventID?(id) }
                    guard event.type == "message", !event.data.isEmpty else { continue }
                    receiver(.message(Array(event.data.utf8), relatedRequest: relatedRequest))
                }
                if parser.exceeded { throw EventTooLarge() }
            }
        case .complete(let bytes):
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

    struct EventTooLarge: Error, CustomStringConvertible {
        var description: String { "an event of the stream exceeds \(SSEParser.defaultMaximumEventSize) bytes" }
    }

    /// Up to `limit` bytes of a body; of a stream, its first part.
    static func bytes(of response: BackendHTTPResponse, upTo limit: Int) async -> [UInt8] {
        switch response.body {
        case .complete(let bytes):
            return Array(bytes.prefix(limit))
        case .stream(let chunks):
            var iterator = chunks.makeAsyncIterator()
            guard let first = try? await iterator.next() else { return [] }
            return Array(first.readableBytesView.prefix(limit))
        }
    }

    /// A short, printable excerpt of an error body.
    static func excerpt(_ response: BackendHTTPResponse) async -> String {
        excerpt(await bytes(of: response, upTo: 4096))
    }

    static func excerpt(_ bytes: [UInt8]) -> String {
        String(String(decoding: bytes, as: UTF8.self).prefix(300)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An error body: the JSON-RPC error response it carries, if any, and an excerpt.
    static func refusal(_ response: BackendHTTPResponse) async -> (reply: [UInt8]?, excerpt: String) {
        let bytes = await bytes(of: response, upTo: 65536)
        if let message = try? JSONRPCMessage.decode(bytes), message.kind == .errorResponse, message.id != nil {
            return (bytes, excerpt(bytes))
        }
        return (nil, excerpt(bytes))
    }
}
