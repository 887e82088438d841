// A request's whole body as bytes, for the MCP endpoints that read JSON-RPC from it.

import Hummingbird
import NIOCore

extension Request {
    /// The body, or nil when it is longer than `limit` bytes.
    func bodyBytes(upTo limit: Int) async -> [UInt8]? {
        guard var buffer = try? await body.collect(upTo: limit) else { return nil }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
