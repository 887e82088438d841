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

    /// The client capabilities a backend's questions can be relayed to: those the client behind
    /// the call declared, among the ones the gateway relays (without `roots.listChanged`: root
    /// changes are not forwarded), plus `roots` when the gateway answers them from the backend's
    /// configured roots. No client and no configured roots, no capabilities.
    static func capabilities(of client: JSONValue?, configuredRoots: Bool = false) -> JSONValue {
        var relayed = JSONObject()
        for key in ["elicitation", "sampling"] {
            if let value = client?[key] { relayed[key] = value }
        }
        if configuredRoots || client?["roots"] != nil { relayed["roots"] = .object(JSONObject()) }
        return .object(relayed)
    }

    static func members(logLevel: String?, clientCapabilities: JSONValue? = nil,
                        configuredRoots: Bool = false) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            (versionKey, .string(version)),
            (capabilitiesKey, capabilities(of: clientCapabilities, configuredRoots: configuredRoots)),
            (clientInfoKey, BackendSession.clientInfo),
        ]
        if let logLevel { members.append((logLevelKey, .string(logLevel))) }
        return members
    }
}
