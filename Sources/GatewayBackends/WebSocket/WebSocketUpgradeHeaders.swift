// The headers of a WebSocket backend's upgrade request: the configured ones (auth above all)
// plus the `mcp` subprotocol that MCP over WebSocket asks for.

import HTTPTypes

enum WebSocketUpgradeHeaders {
    static let subprotocol = "mcp"

    static func fields(_ configured: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in configured.sorted(by: { $0.key < $1.key }) {
            // The config loader validates names; one that still fails here cannot be sent.
            guard let field = HTTPField.Name(name) else { continue }
            fields[field] = value
        }
        fields[.secWebSocketProtocol] = subprotocol
        return fields
    }
}
