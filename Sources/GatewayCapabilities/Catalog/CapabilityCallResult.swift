// What a call through the catalog returns: an MCP CallToolResult (success or isError), or that no
// capability has that name (the caller answers that with its own "unknown tool" reply).

import MCPProtocol

public enum CapabilityCallResult: Sendable, Equatable {
    /// A CallToolResult object: content (+ structuredContent), with isError: true on failure.
    case result(RawJSON)
    case unknownTool
}
