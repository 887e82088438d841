#!/usr/bin/env python3
"""A backend that misbehaves on command, for the chaos suite (test_chaos.py).

    python chaos_backend.py --transport stdio|streamable-http [--port N] [--name NAME] [--tag TAG]

It is servers/server.py's SDK backend (every tool of it: echo, pid, hang, slow, ...) plus one tool
per fault. Faults the SDK can produce go through the SDK; the ones no SDK server would ever
commit (a broken line, a stream cut mid-event) are written raw: over stdio to the pipe the SDK
answers on, over HTTP by an ASGI layer in front of the SDK's app that answers those tools itself.

Fault tools:
  big(mb)                 a successful result with `mb` MiB of text (SDK)
  garbage()               writes a line that is not JSON, then never answers
                          (HTTP: a 200 application/json body that is not JSON)
  half_line(then)         writes the first half of its own answer, no newline, then
                          then="hang": never finishes; then="exit": the process exits
                          (HTTP: a JSON body cut in the middle, connection closed)
  endless(mb)             writes `mb` MiB without a newline, then never answers
                          (HTTP: an event stream whose `data:` line is `mb` MiB long)
  sse_cut(how)            HTTP only: an event stream with a progress notification and half of
                          the answer event; how="abort": the connection is dropped without the
                          last chunk; how="end": the stream ends cleanly there
  flood(n, kind)          `n` notifications as fast as they can be written, then the answer
                          'flooded n'; kind: log (notifications/message), progress (on the
                          call's token, if it has one), list_changed (tools/list_changed)

HTTP binds 127.0.0.1 and prints `READY <url>` once listening, as server.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import _serve_http, build_server  # noqa: E402
from mcp.server.mcpserver import Context  # noqa: E402

MIB = 1024 * 1024
#: The stdout pipe the gateway reads. The SDK's stdio transport diverts fd 1 to stderr and writes
#: the wire through a duplicate of its own; raw faults are written to this one, taken before.
WIRE_FD: int | None = None
GARBAGE = b"this is not JSON-RPC at all <html>\n"


def _wire(data: bytes) -> None:
    assert WIRE_FD is not None
    view = memoryview(data)
    while view:
        n = os.write(WIRE_FD, view)
        view = view[n:]


def _answer(rid: Any, text: str) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": rid, "result": {"content": [{"type": "text", "text": text}]}},
                      separators=(",", ":")).encode()


def _notification(kind: str, i: int, token: Any) -> dict[str, Any]:
    if kind == "progress":
        return {"jsonrpc": "2.0", "method": "notifications/progress",
                "params": {"progressToken": token, "progress": i + 1, "message": f"flood {i}"}}
    if kind == "list_changed":
        return {"jsonrpc": "2.0", "method": "notifications/tools/list_changed"}
    return {"jsonrpc": "2.0", "method": "notifications/message",
            "params": {"level": "info", "logger": "chaos", "data": f"flood {i}"}}


def _request_id(ctx: Context) -> Any:
    rid = ctx.request_id
    return int(rid) if rid.lstrip("-").isdigit() else rid


def add_fault_tools(mcp: Any) -> None:
    @mcp.tool(description="Return a successful result of `mb` MiB of text.", structured_output=False)
    def big(mb: float) -> str:
        return "x" * int(mb * MIB)

    @mcp.tool(description="Write a line that is not JSON, then never answer.", structured_output=False)
    async def garbage() -> str:
        _wire(GARBAGE)
        await anyio.sleep_forever()
        return "unreachable"

    @mcp.tool(description="Write half of the answer without a newline; then hang or exit.", structured_output=False)
    async def half_line(ctx: Context, then: str = "hang") -> str:
        whole = _answer(_request_id(ctx), "half")
        _wire(whole[: len(whole) // 2])
        if then == "exit":
            os._exit(3)
        await anyio.sleep_forever()
        return "unreachable"

    @mcp.tool(description="Write `mb` MiB without a newline, then never answer.", structured_output=False)
    async def endless(mb: float) -> str:
        chunk = b"x" * MIB
        try:
            for _ in range(int(mb)):
                await anyio.to_thread.run_sync(_wire, chunk)
        except OSError:
            os._exit(4)  # the reader went away (EPIPE)
        await anyio.sleep_forever()
        return "unreachable"

    @mcp.tool(description="Send `n` notifications of `kind` as fast as possible, then answer.", structured_output=False)
    async def flood(n: int, ctx: Context, kind: str = "log") -> str:
        token = (ctx.request_context.meta or {}).get("progressToken")
        if kind == "progress" and token is None:
            return "no progress token"
        batch: list[bytes] = []
        for i in range(n):
            batch.append(json.dumps(_notification(kind, i, token), separators=(",", ":")).encode() + b"\n")
            if len(batch) == 500:
                await anyio.to_thread.run_sync(_wire, b"".join(batch))
                batch = []
        if batch:
            await anyio.to_thread.run_sync(_wire, b"".join(batch))
        return f"flooded {n}"

    @mcp.tool(description="HTTP only: an event stream cut in the middle of the answer.", structured_output=False)
    def sse_cut(how: str = "abort") -> str:
        return "sse_cut is a fault of the HTTP transport"


# ------------------------------------------------------------------------------------------
# HTTP: an ASGI layer that answers the raw faults itself and hands everything else to the SDK
# ------------------------------------------------------------------------------------------

RAW_HTTP = {"garbage", "half_line", "endless", "sse_cut", "flood"}


class _Abort(Exception):
    """Raised mid-response: uvicorn then drops the connection without finishing the body."""


def chaos_http(app: Any) -> Any:
    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST":
            await app(scope, receive, send)
            return
        body = b""
        while True:
            event = await receive()
            body += event.get("body", b"")
            if not event.get("more_body"):
                break
        try:
            msg = json.loads(body)
        except ValueError:
            msg = None
        name = msg.get("params", {}).get("name") if isinstance(msg, dict) and msg.get("method") == "tools/call" else None
        if name in RAW_HTTP:
            await _raw_fault(name, msg, send)
            return
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await app(scope, replay, send)

    return wrapped


async def _start(send: Any, ctype: bytes, length: int | None = None) -> None:
    headers = [(b"content-type", ctype), (b"cache-control", b"no-cache")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})


async def _chunk(send: Any, data: bytes, more: bool = True) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": more})


def _sse(message: dict[str, Any] | bytes) -> bytes:
    data = message if isinstance(message, bytes) else json.dumps(message, separators=(",", ":")).encode()
    return b"event: message\ndata: " + data + b"\n\n"


async def _raw_fault(name: str, msg: dict[str, Any], send: Any) -> None:
    rid = msg.get("id")
    params = msg.get("params") or {}
    args = params.get("arguments") or {}
    if name == "garbage":
        await _start(send, b"application/json", len(GARBAGE))
        await _chunk(send, GARBAGE, more=False)
        await anyio.sleep_forever()  # never answers in another way either
    elif name == "half_line":
        whole = _answer(rid, "half")
        await _start(send, b"application/json", len(whole))
        await _chunk(send, whole[: len(whole) // 2])
        raise _Abort("half a body, then the connection drops")
    elif name == "endless":
        await _start(send, b"text/event-stream")
        await _chunk(send, b"event: message\ndata: ")
        chunk = b"x" * MIB
        for _ in range(int(float(args.get("mb", 100)))):
            await _chunk(send, chunk)
        await anyio.sleep_forever()
    elif name == "sse_cut":
        await _start(send, b"text/event-stream")
        token = (params.get("_meta") or {}).get("progressToken")
        if token is not None:
            await _chunk(send, _sse(_notification("progress", 0, token)))
        whole = _answer(rid, "cut")
        await _chunk(send, b"event: message\ndata: " + whole[: len(whole) // 2])
        if args.get("how", "abort") == "end":
            await _chunk(send, b"", more=False)
            return
        raise _Abort("the event stream is cut mid-event")
    elif name == "flood":
        n, kind = int(args.get("n", 1000)), str(args.get("kind", "log"))
        token = (params.get("_meta") or {}).get("progressToken")
        if kind == "progress" and token is None:
            kind = "log"
        await _start(send, b"text/event-stream")
        batch = []
        for i in range(n):
            batch.append(_sse(_notification(kind, i, token)))
            if len(batch) == 500:
                await _chunk(send, b"".join(batch))
                batch = []
        batch.append(_sse(_answer(rid, f"flooded {n}")))
        await _chunk(send, b"".join(batch))
        await _chunk(send, b"", more=False)


def main(argv: list[str] | None = None) -> None:
    global WIRE_FD
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--transport", choices=["stdio", "streamable-http"], default="stdio")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--name", default="chaos")
    p.add_argument("--tag", default="", help="ignored; marks the command line so tests can find strays")
    args = p.parse_args(argv)

    mcp = build_server(args.name)
    add_fault_tools(mcp)
    if args.transport == "stdio":
        WIRE_FD = os.dup(1)
        anyio.run(mcp.run_stdio_async)
        return

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    app = chaos_http(mcp.streamable_http_app())
    try:
        anyio.run(_serve_http, app, sock, url)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
