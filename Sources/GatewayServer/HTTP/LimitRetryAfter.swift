// `Retry-After` for an HTTP answer that is one JSON-RPC error with the `limited` code (-32029):
// the seconds of its `data.retryAfterMs`, rounded up. The check reads only the envelope the
// gateway's own encoder writes (`{"jsonrpc":"2.0","id":ID,"error":{"code":-32029`), a few
// bytes past the id, so an ordinary answer costs a handful of comparisons; only a hit is
// parsed.

import GatewayGovernance
import MCPProtocol

enum LimitRetryAfter {
    private static let prefix = Array("{\"jsonrpc\":\"2.0\",\"id\":".utf8)
    private static let errorStart = Array(",\"error\":{\"code\":\(GovernanceErrorCode.limited)".utf8)

    /// Seconds to wait, when `reply` is a single `limited` error; nil otherwise.
    static func seconds(in reply: [UInt8]) -> Int? {
        guard reply.count < 8192, reply.count > prefix.count + errorStart.count, reply.starts(with: prefix) else { return nil }
        var index = prefix.count
        // Skip the id: a string (with escapes), or a number or null.
        if reply[index] == UInt8(ascii: "\"") {
            index += 1
            while index < reply.count, reply[index] != UInt8(ascii: "\"") {
                index += reply[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index += 1
        } else {
            while index < reply.count, reply[index] != UInt8(ascii: ",") { index += 1 }
        }
        guard index + errorStart.count < reply.count,
              reply[index..<(index + errorStart.count)].elementsEqual(errorStart),
              reply[index + errorStart.count] == UInt8(ascii: ",") || reply[index + errorStart.count] == UInt8(ascii: "}"),
              let parsed = try? JSONParser.parse(reply),
              let milliseconds = parsed["error"]?["data"]?["retryAfterMs"]?.intValue else { return nil }
        return max(1, (milliseconds + 999) / 1000)
    }
}
