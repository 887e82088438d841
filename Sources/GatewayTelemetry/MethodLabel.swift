// The small label sets of a client request: front end, protocol version and method, each
// resolved to an index so a request's series is found by one array index (no hashing). A
// client can send any method name, and each distinct label value is a series kept for the
// life of the process: methods of the MCP specification (both eras) keep their name, anything
// else is counted as `_other`; likewise a front end or version outside these lists.

import MCPProtocol

enum MethodLabel {
    /// Most frequent first: the search is linear, and short strings compare in a few
    /// instructions.
    static let known: [String] = [
        "tools/call", "tools/list", "ping", "initialize", "resources/read", "prompts/get", "server/discover",
        "resources/list", "resources/templates/list", "prompts/list", "resources/subscribe", "resources/unsubscribe",
        "completion/complete", "logging/setLevel", "subscriptions/listen",
        "tasks/get", "tasks/result", "tasks/list", "tasks/cancel",
    ]
    static let frontEnds = ["streamable_http", "stdio", "websocket", "sse", "direct", "unknown"]
    static let versions = [ProtocolVersion.stateless] + ProtocolVersion.supported
    static let other = "_other"

    static func bounded(_ method: String) -> String { known.contains(method) ? method : other }

    /// `value`'s place in `list`, or `list.count` (for `_other`).
    @inline(__always)
    static func index(_ value: String, in list: [String]) -> Int { list.firstIndex(of: value) ?? list.count }

    static func label(_ index: Int, in list: [String]) -> String { index < list.count ? list[index] : other }

    /// The flat index of a (front end, version, method) triple, and how many there are.
    static func requestKind(frontEnd: String, protocolVersion: String, method: String) -> Int {
        let f = index(frontEnd, in: frontEnds), v = index(protocolVersion, in: versions), m = index(method, in: known)
        return (f * (versions.count + 1) + v) * (known.count + 1) + m
    }

    static var requestKinds: Int { (frontEnds.count + 1) * (versions.count + 1) * (known.count + 1) }
}
