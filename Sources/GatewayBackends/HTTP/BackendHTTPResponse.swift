// An HTTP answer from a backend as the transports read it: a JSON (or error) body that is
// already whole, or an event stream read as it comes.

import NIOCore
import NIOHTTP1

struct BackendHTTPResponse: Sendable {
    enum Body: Sendable {
        case complete([UInt8])
        case stream(AsyncThrowingStream<ByteBuffer, any Error>)
    }

    let status: Int
    let headers: HTTPHeaders
    let body: Body

    var isEventStream: Bool { Self.isEventStream(headers) }

    static func isEventStream(_ headers: HTTPHeaders) -> Bool {
        guard let contentType = headers.first(name: "content-type") else { return false }
        // ASCII case folded byte by byte: no lowercased copy per answer.
        let wanted = "text/event-stream".utf8
        var value = contentType.utf8.makeIterator()
        for byte in wanted {
            guard let next = value.next(), next | (next >= 0x41 && next <= 0x5A ? 0x20 : 0) == byte else { return false }
        }
        return true
    }

    /// A body bigger than this is refused rather than held in memory.
    static let maximumBody = 64 * 1024 * 1024

    struct BodyTooLarge: Error, CustomStringConvertible {
        var description: String { "the response body exceeds \(BackendHTTPResponse.maximumBody) bytes" }
    }
}
