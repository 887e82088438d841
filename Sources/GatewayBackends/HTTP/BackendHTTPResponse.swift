// An HTTP answer from a backend as the transports read it: a JSON (or error) body that is
// already whole, or an event stream read as it comes.

import MCPProtocol
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
        CaselessASCII.hasPrefix(headers.first(name: "content-type"), "text/event-stream")
    }

    /// A body bigger than this is refused rather than held in memory.
    static let maximumBody = 64 * 1024 * 1024

    struct BodyTooLarge: Error, CustomStringConvertible {
        var description: String { "the response body exceeds \(BackendHTTPResponse.maximumBody) bytes" }
    }
}
