// A request's whole body as bytes, for the MCP endpoints that read JSON-RPC from it: too long
// (413) and broken off or malformed on the wire (400) are told apart.

import Hummingbird
import MCPProtocol
import NIOCore

/// A body read whole, or the answer that refuses it.
enum RequestBodyRead {
    case bytes([UInt8])
    case refused(Response)
}

extension Request {
    /// The body; refused with `tooLarge()` when longer than `limit` bytes, and with a 400 when
    /// it cannot be read (malformed or broken off on the wire).
    func readBody(upTo limit: Int, tooLarge: () -> Response) async -> RequestBodyRead {
        do {
            var buffer = try await body.collect(upTo: limit)
            return .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch is NIOTooManyBytesError {
            return .refused(tooLarge())
        } catch {
            return .refused(HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.parseError,
                                                 message: "Parse error: the request body is malformed or incomplete"))
        }
    }
}
