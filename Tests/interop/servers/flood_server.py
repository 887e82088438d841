#!/usr/bin/env python3
"""A fast, bare stdio MCP backend that produces volume on demand (for test_security_limits.py).

No SDK: newline-delimited JSON-RPC on stdin/stdout, so it can emit tens of megabytes quickly.

    python flood_server.py [--tag TAG] [--calls FILE]

Tools:
  echo(**args)       -> returns its arguments as text
  big(kb)            -> returns a text block of `kb` KiB
  chatty(n, size)    -> n notifications/progress of `size` bytes on the call's token, then 'done'
  sleep(seconds)     -> answers 'slept' after `seconds`
`--calls FILE` appends one line per tools/call received (to count fan-out).
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time

lock = threading.Lock()


def send(msg: dict) -> None:
    data = json.dumps(msg, separators=(",", ":")) + "\n"
    with lock:
        sys.stdout.write(data)
        sys.stdout.flush()


TOOLS = [
    {"name": "echo", "description": "Echo the arguments back", "inputSchema": {"type": "object"}},
    {"name": "big", "description": "Return kb KiB of text",
     "inputSchema": {"type": "object", "properties": {"kb": {"type": "integer"}}}},
    {"name": "chatty", "description": "Send n progress notifications of size bytes, then answer",
     "inputSchema": {"type": "object", "properties": {"n": {"type": "integer"}, "size": {"type": "integer"}}}},
    {"name": "sleep", "description": "Answer after `seconds`",
     "inputSchema": {"type": "object", "properties": {"seconds": {"type": "number"}}}},
]


def text(rid: object, body: str) -> None:
    send({"jsonrpc": "2.0", "id": rid, "result": {"content": [{"type": "text", "text": body}]}})


def call(rid: object, params: dict, calls_file: str | None) -> None:
    name, args = params.get("name"), params.get("arguments") or {}
    if calls_file:
        with lock, open(calls_file, "a") as f:
            f.write(f"{name}\n")
    if name == "echo":
        text(rid, json.dumps(args))
    elif name == "big":
        text(rid, "A" * (int(args.get("kb", 1)) * 1024))
    elif name == "chatty":
        token = (params.get("_meta") or {}).get("progressToken")
        n, size = int(args.get("n", 100)), int(args.get("size", 100))
        filler = "x" * size
        for i in range(n):
            if token is not None:
                send({"jsonrpc": "2.0", "method": "notifications/progress",
                      "params": {"progressToken": token, "progress": i + 1, "total": n, "message": filler}})
        text(rid, "done")
    elif name == "sleep":
        def later() -> None:
            time.sleep(float(args.get("seconds", 1)))
            text(rid, "slept")
        threading.Thread(target=later, daemon=True).start()
    else:
        send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32602, "message": f"unknown tool {name}"}})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", default="")
    parser.add_argument("--calls", default=None)
    opts = parser.parse_args()
    for raw in sys.stdin:
        try:
            msg = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(msg, dict) or "method" not in msg or "id" not in msg:
            continue
        rid, method, params = msg["id"], msg["method"], msg.get("params") or {}
        if method == "initialize":
            send({"jsonrpc": "2.0", "id": rid, "result": {
                "protocolVersion": params.get("protocolVersion", "2025-06-18"),
                "capabilities": {"tools": {}}, "serverInfo": {"name": "flood", "version": "0"}}})
        elif method == "tools/list":
            send({"jsonrpc": "2.0", "id": rid, "result": {"tools": TOOLS}})
        elif method == "tools/call":
            call(rid, params, opts.calls)
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": rid, "result": {}})
        else:
            send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": f"no method {method}"}})


if __name__ == "__main__":
    main()
