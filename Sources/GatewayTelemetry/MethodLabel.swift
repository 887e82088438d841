// The `mcp_method_name` label: a client can send any method name, and each distinct label
// value is a series kept for the life of the process. Methods of the MCP specification (both
// eras) keep their name; anything else is counted as `_other`.

enum MethodLabel {
    static let known: Set<String> = [
        "initialize", "ping", "tools/list", "tools/call", "resources/list", "resources/templates/list",
        "resources/read", "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get",
        "completion/complete", "logging/setLevel", "server/discover", "subscriptions/listen",
        "notifications/initialized", "notifications/cancelled", "notifications/progress",
        "sampling/createMessage", "elicitation/create", "roots/list", "tasks/get", "tasks/result",
        "tasks/list", "tasks/cancel",
    ]

    static func bounded(_ method: String) -> String { known.contains(method) ? method : "_other" }
}
