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

    public init(principal: Principal, protocolVersion: String = ProtocolVersion.latest, capabilities: JSONValue? = nil,
                sessionID: String? = nil, logLevel: ClientLogLevel? = nil) {
        self.principal = principal
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.sessionID = sessionID
        self.logLevel = logLevel
    }
}

/// Sends one JSON-RPC notification to the client that made the current request.
public typealias NotificationSink = @Sendable ([UInt8]) -> Void
