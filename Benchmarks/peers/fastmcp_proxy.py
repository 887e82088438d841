"""fastmcp 4.x as a proxy gateway in front of bench-backend, served over Streamable HTTP.

    python fastmcp_proxy.py --port P (--backend-url http://127.0.0.1:B/mcp | --backend-cmd 'bench-backend --stdio ...')
                            [--search bm25] [--reuse-session]

Uses fastmcp's public API: `create_proxy(target)` (the documented replacement for
`FastMCP.as_proxy`); the backend's tools keep their names (`echo`). `--search bm25` adds
`BM25SearchTransform`, which replaces the listing with `search_tools {query}` + `call_tool
{name, arguments}`. By default fastmcp opens a fresh backend session for every request (its
documented default, to keep request contexts apart); `--reuse-session` instead hands it an
already-connected Client, which it reuses for all requests (its opt-in fast path).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import shlex

from fastmcp import Client
from fastmcp.client.transports import StdioTransport, StreamableHttpTransport
from fastmcp.server import create_proxy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--backend-url", help="Streamable HTTP backend, e.g. http://127.0.0.1:39510/mcp")
    target.add_argument("--backend-cmd", help="stdio backend command line")
    parser.add_argument("--search", choices=["none", "bm25"], default="none")
    parser.add_argument("--max-results", type=int, default=5)
    parser.add_argument("--reuse-session", action="store_true",
                        help="one connected backend client shared by all requests")
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(serve(args))


def backend_transport(args: argparse.Namespace):
    if args.backend_url:
        return StreamableHttpTransport(args.backend_url)
    argv = shlex.split(args.backend_cmd)
    return StdioTransport(command=argv[0], args=argv[1:])


async def serve(args: argparse.Namespace) -> None:
    transport = backend_transport(args)
    if args.reuse_session:
        client = Client(transport)
        async with client:
            await run_proxy(create_proxy(client, name="fastmcp-proxy"), args)
    else:
        await run_proxy(create_proxy(transport, name="fastmcp-proxy"), args)


async def run_proxy(proxy, args: argparse.Namespace) -> None:
    if args.search == "bm25":
        from fastmcp.server.transforms.search import BM25SearchTransform

        proxy.add_transform(BM25SearchTransform(max_results=args.max_results))
    await proxy.run_http_async(show_banner=False, transport="http", host="127.0.0.1", port=args.port,
                               path="/mcp", log_level="warning")


if __name__ == "__main__":
    main()
