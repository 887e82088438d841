// What the core needs to know about the client behind a request, whatever the front end.

import MCPProtocol

public struct ClientContext: Sendable {
    public var protocolVersion: String
    public var capabilities: JSONValue?
    public var sessionID: String?

    public init(protocolVersion: String = ProtocolVersion.latest, capabilities: JSONValue? = nil, sessionID: String? = nil) {
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.sessionID = sessionID
    }
}

/// Sends one JSON-RPC notification to the client that made the current request.
public typealias NotificationSink = @Sendable ([UInt8]) -> Void
