// What the core needs to know about the client behind a request, whatever the front end.

import GatewayAuth
import MCPProtocol

public struct ClientContext: Sendable {
    /// Who the client is: set by the front end from the gate's decision, before any dispatch.
    public var principal: Principal
    public var protocolVersion: String
    public var capabilities: JSONValue?
    public var sessionID: String?
    /// The client's own log level; nil: the client gets no backend log messages (a caller
    /// with nowhere to send them, or a 2026-07-28 request that did not ask for any).
    public var logLevel: ClientLogLevel?
    /// The front end the client came in by (set by the front end; the audit trail records it).
    public var frontEnd: FrontEnd

    public init(principal: Principal, protocolVersion: String = ProtocolVersion.latest, capabilities: JSONValue? = nil,
                sessionID: String? = nil, logLevel: ClientLogLevel? = nil, frontEnd: FrontEnd = .unknown) {
        self.principal = principal
        self.frontEnd = frontEnd
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.sessionID = sessionID
        self.logLevel = logLevel
    }

    /// Where this client's backend calls come from.
    public var origin: CallOrigin { CallOrigin(frontEnd: frontEnd, protocolVersion: protocolVersion) }
}

/// Sends one JSON-RPC notification to the client that made the current request.
public typealias NotificationSink = @Sendable ([UInt8]) -> Void
