// The cap on JSON-RPC batch size (`server.limits.max_batch_size`): one POST or frame must not
// fan out into thousands of backend calls. A longer batch is refused whole, before any of its
// elements runs, with one error naming the limit.

import MCPProtocol

enum BatchLimit {
    static func message(count: Int, limit: Int) -> String {
        "Invalid Request: batch of \(count) messages exceeds server.limits.max_batch_size (\(limit))"
    }

    static func refusal(count: Int, limit: Int) -> [UInt8] {
        JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest, message: message(count: count, limit: limit))
    }
}
