// Bounds the log messages relayed from one backend: at most `rate` a second, in bursts of up
// to `burst`. Relaying one costs the gateway a parse, a redaction scan, an encoding and a write
// to the client; a backend that floods them (20,000 as fast as its pipe takes them, the chaos
// suite) kept the event loop from the other clients' calls, whose median latency went from ~8
// to ~210 ms. Log messages are advisory: the excess is dropped; the gateway's log notes when
// dropping starts, and the next message relayed is preceded by a warning to the client saying
// how many were.

import GatewayConfig
import MCPProtocol

struct LogFloodGate {
    static let rate = 200.0
    static let burst = 1000.0

    private var tokens = LogFloodGate.burst
    private var stamp: ContinuousClock.Instant?
    /// Dropped since the last message relayed.
    private(set) var dropped = 0

    /// Whether the message arriving `now` is relayed; when it is, `droppedBefore` says how many
    /// were dropped since the last one (to be told first).
    mutating func admit(now: ContinuousClock.Instant) -> (relay: Bool, droppedBefore: Int) {
        if let stamp {
            tokens = min(Self.burst, tokens + Double((now - stamp).saturatingNanoseconds) / 1e9 * Self.rate)
        }
        stamp = now
        guard tokens >= 1 else {
            dropped += 1
            return (false, 0)
        }
        tokens -= 1
        defer { dropped = 0 }
        return (true, dropped)
    }

    /// The warning relayed before the next message after drops (`notifications/message` params).
    static func warning(dropped: Int, server: String) -> [UInt8] {
        var text = "mcp-gateway dropped \(dropped) log message\(dropped == 1 ? "" : "s") from backend '"
        text += server
        text += "': more than \(Int(rate)) a second"
        var params: [UInt8] = Array(#"{"level":"warning","logger":"mcp-gateway","data":"#.utf8)
        JSONWriter.writeString(text, into: &params)
        params.append(UInt8(ascii: "}"))
        return params
    }
}
