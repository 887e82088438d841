// Small builders for the HTTP responses of the MCP endpoints.

import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOCore

enum HTTPReplies {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        if let seconds = LimitRetryAfter.seconds(in: bytes) { headers[.retryAfter] = String(seconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func rpcError(_ status: HTTPResponse.Status, code: Int, message: String, id: JSONRPCID? = nil) -> Response {
        json(JSONRPCEncoder.error(id: id, code: code, message: message), status: status)
    }

    /// `buffer`: the connection's bound on unread bytes, counted down as the body takes chunks.
    static func eventStream(_ stream: AsyncStream<[UInt8]>, buffer: OutboundBuffer? = nil, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/event-stream"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-cache" }
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: stream.draining(buffer)))
    }

    static func accepted() -> Response { Response(status: .accepted) }
}
