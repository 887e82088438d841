// Header names of the MCP Streamable HTTP transport.

import HTTPTypes

extension HTTPField.Name {
    static let mcpSessionID = HTTPField.Name("Mcp-Session-Id")!
    static let mcpProtocolVersion = HTTPField.Name("MCP-Protocol-Version")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let origin = HTTPField.Name("Origin")!
}
