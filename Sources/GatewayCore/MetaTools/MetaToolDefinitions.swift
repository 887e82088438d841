// The four meta-tools as listed to clients. Descriptions carry live counts and stay short:
// every byte here is paid for in every conversation.

import MCPProtocol

public enum MetaToolName {
    public static let listServers = "gateway_list_servers"
    public static let listTools = "gateway_list_tools"
    public static let searchTools = "gateway_search_tools"
    public static let invoke = "gateway_invoke"
    public static let all: Set<String> = [listServers, listTools, searchTools, invoke]
}

enum MetaToolDefinitions {
    static func tools(serverCount: Int, toolCount: Int) -> [JSONValue] {
        let readOnly: JSONValue = ["readOnlyHint": true]
        return [
            [
                "name": .string(MetaToolName.listServers),
                "description": .string("List the \(serverCount) MCP servers behind this gateway: status and tool count."),
                "inputSchema": ["type": "object", "properties": .object(JSONObject())],
                "annotations": readOnly,
            ],
            [
                "name": .string(MetaToolName.listTools),
                "description": .string("List one server's tools with full schemas, or all \(toolCount) tools in brief (omit server)."),
                "inputSchema": [
                    "type": "object",
                    "properties": [
                        "server": ["type": "string"],
                        "include": ["type": "array", "items": ["enum": ["stats"]]],
                    ],
                ],
                "annotations": readOnly,
            ],
            [
                "name": .string(MetaToolName.searchTools),
                "description": .string("Search \(toolCount) tools on \(serverCount) servers by task, in plain words. Top hits include inputSchema; then use gateway_invoke."),
                "inputSchema": [
                    "type": "object",
                    "properties": [
                        "query": ["type": "string"],
                        "limit": ["type": "integer", "minimum": 1, "maximum": 25, "default": .int(SearchToolsTool.defaultLimit)],
                        "include": ["type": "array", "items": ["enum": ["stats"]]],
                    ],
                    "required": ["query"],
                ],
                "annotations": readOnly,
            ],
            [
                "name": .string(MetaToolName.invoke),
                "description": "Call a tool on a server. Returns the tool's own result.",
                "inputSchema": [
                    "type": "object",
                    "properties": [
                        "server": ["type": "string"],
                        "tool": ["type": "string"],
                        "arguments": ["type": "object"],
                    ],
                    "required": ["server", "tool"],
                ],
                "annotations": ["openWorldHint": true],
            ],
        ]
    }

    static func instructions(serverCount: Int, toolCount: Int) -> String {
        "This gateway fronts \(serverCount) MCP servers (\(toolCount) tools known so far). To use one: gateway_search_tools {query} "
            + "describing the task; its top hits include inputSchema. Then gateway_invoke {server, tool, arguments}. "
            + "gateway_list_servers and gateway_list_tools browse the catalog."
    }
}
