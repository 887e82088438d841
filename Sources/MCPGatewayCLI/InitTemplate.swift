// The starter gateway.yaml `mcp-gateway init` writes: the settings a new user is most likely to
// change, commented, around the `backends:` section (the servers import found, or examples).

enum InitTemplate {
    static func text(backends: String?, sources: [String]) -> String {
        var lines = [
            "# mcp-gateway configuration, written by `mcp-gateway init`.",
            "# Every key: docs/configuration.md. Check an edit with: mcp-gateway config validate",
            "# A running gateway re-reads this file when it changes (or on SIGHUP).",
            "",
            "server:",
            "  host: 127.0.0.1          # loopback only; another address needs 'auth' (see below)",
            "  port: 39400              # clients connect to http://127.0.0.1:39400/mcp",
            "  request_timeout: 2m",
            "",
            "meta_mcp:",
            "  enabled: true            # four meta-tools (list servers, list tools, search, invoke)",
            "  search: hybrid           # or lexical",
            "  # surfaced_tools:        # tools also listed directly, as server__tool",
            "  #   - {server: time, tool: get_current_time}",
            "",
            "# auth:                    # required when host is not loopback",
            "#   api_keys:",
            "#     - {name: me, key: \"env:MCP_GATEWAY_KEY\", admin: true}",
            "",
        ]
        if let backends {
            lines.append("# Imported from: \(sources.joined(separator: ", "))")
            lines.append(backends)
        } else {
            lines += [
                "# No client configuration was found to import. Examples (pip install mcp-server-time mcp-server-fetch):",
                "backends:",
                "  time:",
                "    command: [mcp-server-time, --local-timezone, UTC]",
                "    description: Current time and conversions between time zones",
                "  # fetch:",
                "  #   command: [mcp-server-fetch]",
                "  # A remote server (Streamable HTTP or SSE, detected):",
                "  # docs:",
                "  #   http_url: https://mcp.example.com/mcp",
                "  #   headers: {Authorization: \"Bearer ${DOCS_TOKEN}\"}",
                "",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
