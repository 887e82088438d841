// What the gateway puts in `params._meta` of every request to a 2026-07-28 backend: the
// version, the client capabilities it can serve on the caller's behalf, its identity, and
// the log level (logging is opt-in per request in that era).

import MCPProtocol

enum ModernEnvelope {
    static let version = "2026-07-28"
    static let versionKey = "io.modelcontextprotocol/protocolVersion"
    static let capabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    static let logLevelKey = "io.modelcontextprotocol/logLevel"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"
    static let subscriptionIDKey = "io.modelcontextprotocol/subscriptionId"

    /// Elicitation and sampling requests become questions to the client behind the call;
    /// roots are not offered, as in the handshake era.
    static let capabilities: JSONValue = ["elicitation": .object(JSONObject()), "sampling": .object(JSONObject())]

    static func members(logLevel: String?) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            (versionKey, .string(version)),
            (capabilitiesKey, capabilities),
            (clientInfoKey, BackendSession.clientInfo),
        ]
        if let logLevel { members.append((logLevelKey, .string(logLevel))) }
        return members
    }
}
