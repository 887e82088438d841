#!/usr/bin/env python3
"""A raw newline-framed stdio MCP backend for the security tests: it records what the gateway
really writes to it, which the SDK's servers hide.

    python line_backend.py --log PATH [--stop-reading-after-init]

Appends one JSON object per event to PATH: {"fds": [...]} at start (the targets of its open
file descriptors), {"line": "<raw stdin line>"} for every line it reads (split on LF only, CR
kept, so a smuggled frame shows as an extra line). Tools: echo (answers its arguments as JSON
text), pid. With --stop-reading-after-init it stops reading stdin once notifications/initialized
has arrived (a hung server whose stdin pipe fills up).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time

TOOLS = [
    {"name": "echo", "description": "Answer the arguments as JSON text", "inputSchema": {"type": "object"}},
    {"name": "pid", "description": "Answer the process id", "inputSchema": {"type": "object"}},
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--stop-reading-after-init", action="store_true")
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    lock = threading.Lock()

    def record(entry: dict) -> None:
        with lock, open(args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def send(msg: dict) -> None:
        sys.stdout.buffer.write(json.dumps(msg, separators=(",", ":")).encode() + b"\n")
        sys.stdout.buffer.flush()

    fds = []
    for fd in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            fds.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    record({"fds": fds, "pid": os.getpid()})

    stdin = sys.stdin.buffer
    while True:
        raw = stdin.readline()
        if not raw:
            return
        line = raw[:-1] if raw.endswith(b"\n") else raw
        record({"line": line.decode("utf-8", "replace")})
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if not isinstance(msg, dict):
            continue
        method, rid = msg.get("method"), msg.get("id")
        params = msg.get("params") or {}
        if method == "initialize":
            send({"jsonrpc": "2.0", "id": rid, "result": {
                "protocolVersion": params.get("protocolVersion", "2025-06-18"),
                "capabilities": {"tools": {}}, "serverInfo": {"name": "line-backend", "version": "1"}}})
        elif method == "notifications/initialized":
            if args.stop_reading_after_init:
                record({"stopped": True})
                while True:
                    time.sleep(3600)
        elif method == "tools/list":
            send({"jsonrpc": "2.0", "id": rid, "result": {"tools": TOOLS}})
        elif method == "tools/call":
            name = params.get("name")
            if name == "pid":
                text = str(os.getpid())
            else:
                text = json.dumps(params.get("arguments"), separators=(",", ":"))
            send({"jsonrpc": "2.0", "id": rid, "result": {"content": [{"type": "text", "text": text}]}})
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": rid, "result": {}})
        elif rid is not None:
            send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": f"no method {method}"}})


if __name__ == "__main__":
    main()
