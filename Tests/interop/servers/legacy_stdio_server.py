#!/usr/bin/env python3
"""A handshake-era-only MCP server over stdio, written by hand (no SDK): the SDK's own servers
speak both eras, and the gateway's probe must also meet servers that never heard of
`server/discover`. It answers `initialize` (protocol 2025-06-18), `tools/list` (one tool, `hello`),
`tools/call` and `ping`; every other request gets -32601, as a legacy server's would.

    python legacy_stdio_server.py [--tag TAG]
"""

from __future__ import annotations

import json
import sys

TOOL = {"name": "hello", "description": "Say hello from the handshake-era server.",
        "inputSchema": {"type": "object", "properties": {"who": {"type": "string"}}}}


def reply(message_id, result=None, error=None) -> None:
    out = {"jsonrpc": "2.0", "id": message_id}
    if error is not None:
        out["error"] = error
    else:
        out["result"] = result
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if "id" not in message or "method" not in message:
            continue  # notifications and responses
        method, params = message["method"], message.get("params") or {}
        if method == "initialize":
            reply(message["id"], {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                  "serverInfo": {"name": "legacy-only", "version": "1.0"}})
        elif method == "tools/list":
            reply(message["id"], {"tools": [TOOL]})
        elif method == "tools/call":
            who = (params.get("arguments") or {}).get("who", "world")
            era = "enveloped" if "io.modelcontextprotocol/protocolVersion" in (params.get("_meta") or {}) else "plain"
            reply(message["id"], {"content": [{"type": "text", "text": f"hello {who} ({era})"}]})
        elif method == "ping":
            reply(message["id"], {})
        else:
            reply(message["id"], error={"code": -32601, "message": f"Method not found: {method}"})


if __name__ == "__main__":
    main()
