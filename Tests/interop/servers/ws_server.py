#!/usr/bin/env python3
"""WebSocket backend MCP test server for the gateway interop suite.

The MCP Python SDK 2.x has no WebSocket server transport, so this bridges `websockets` (asyncio
server, subprotocol `mcp`, one JSON-RPC message per text frame) to the SDK's own server: every
connection runs the low-level server of `servers/server.py`'s `build_server` with its full tool
set, exactly as the stdio transport does.

    python ws_server.py [--port N] [--name NAME] [--require-header NAME=VALUE] [--tag TAG]

Binds 127.0.0.1; `--port 0` (the default) lets the OS choose. Once listening it prints one line,
`READY ws://127.0.0.1:PORT/`, on stdout. A connection that does not offer subprotocol `mcp` is
closed at once (1002); with `--require-header`, a handshake without that header gets 401.
"""

from __future__ import annotations

import argparse
import http
import socket
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.shared._context_streams import create_context_streams
from mcp.shared.message import SessionMessage
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import build_server  # noqa: E402


async def bridge(ws: ServerConnection, mcp: Any) -> None:
    """One WebSocket connection = one MCP session of the SDK's low-level server."""
    lowlevel = mcp._lowlevel_server
    read_writer, read_stream = create_context_streams[SessionMessage | Exception](0)
    write_stream, write_reader = create_context_streams[SessionMessage](0)

    async def ws_reader() -> None:
        async with read_writer:
            try:
                async for frame in ws:
                    text = frame if isinstance(frame, str) else frame.decode()
                    try:
                        message = types.jsonrpc_message_adapter.validate_json(text, by_name=False)
                    except Exception as exc:  # noqa: BLE001 - the SDK wants parse errors as items
                        await read_writer.send(exc)
                        continue
                    await read_writer.send(SessionMessage(message))
            except ConnectionClosed:
                pass

    async def ws_writer() -> None:
        async with write_reader:
            async for session_message in write_reader:
                try:
                    await ws.send(session_message.message.model_dump_json(by_alias=True, exclude_unset=True))
                except ConnectionClosed:
                    return

    async with anyio.create_task_group() as tg:
        tg.start_soon(ws_reader)
        tg.start_soon(ws_writer)
        await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())
        tg.cancel_scope.cancel()


async def serve_forever(sock: socket.socket, name: str, required: tuple[str, str] | None) -> None:
    mcp = build_server(name)

    def check_headers(connection: ServerConnection, request: Any) -> Any:
        if required and request.headers.get(required[0]) != required[1]:
            return connection.respond(http.HTTPStatus.UNAUTHORIZED, f"header {required[0]} required\n")
        return None

    async def handler(ws: ServerConnection) -> None:
        if ws.subprotocol != "mcp":
            await ws.close(1002, "subprotocol mcp required")
            return
        await bridge(ws, mcp)

    async with serve(handler, sock=sock, subprotocols=["mcp"], max_size=None, process_request=check_headers) as server:
        port = sock.getsockname()[1]
        print(f"READY ws://127.0.0.1:{port}/", flush=True)
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--name", default="ws")
    p.add_argument("--require-header", default="", help="NAME=VALUE the upgrade request must carry")
    p.add_argument("--tag", default="", help="ignored; marks the command line so tests can find strays")
    args = p.parse_args(argv)

    required = tuple(args.require_header.split("=", 1)) if args.require_header else None
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    try:
        anyio.run(serve_forever, sock, args.name, required)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
