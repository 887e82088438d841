// Where a backend-bound operation came in: the front end and the protocol version its client
// speaks. Set by each front end on its ClientContext and carried on every BackendCall, for the
// audit trail (and any stage that decides by entry path).

import MCPProtocol

public enum FrontEnd: String, Sendable, Hashable {
    case streamableHTTP = "streamable_http"
    case sse
    case websocket
    case stdio
    /// `/mcp/{backend}`.
    case direct
    /// Made in process (tests, tools), not by a front end.
    case unknown
}

public struct CallOrigin: Sendable, Hashable {
    public var frontEnd: FrontEnd
    /// The protocol version the client negotiated (or its 2026-07-28 envelope names).
    public var protocolVersion: String

    public init(frontEnd: FrontEnd, protocolVersion: String) {
        self.frontEnd = frontEnd
        self.protocolVersion = protocolVersion
    }

    public static let unknown = CallOrigin(frontEnd: .unknown, protocolVersion: ProtocolVersion.latest)
}
