#!/usr/bin/env python3
"""Backend MCP test server for the gateway interop suite.

Built with the official MCP Python SDK, 2.x high-level API (`mcp.server.mcpserver.MCPServer`,
the successor of 1.x `FastMCP`).

    python server.py --transport stdio|streamable-http|sse [--port N] [--name NAME]
                     [--hang-on-list] [--json-response] [--stateless]

HTTP transports bind 127.0.0.1. `--port 0` (the default) lets the OS pick a free port; once the
socket is listening the server prints exactly one line on stdout,

    READY <url>

where <url> is the MCP endpoint (`http://127.0.0.1:PORT/mcp` for streamable-http,
`http://127.0.0.1:PORT/sse` for sse). The harness waits for that line, so there is no
port race and no polling. On stdio nothing but MCP messages is written to stdout.

Tools: echo, add, image, fail, progress, slow, crash, pid, getenv, leak, hang, ask, log_echo, wait_cancel,
grow, subscriptions, touch, era (see each description); with `--failsafe-tools` also crash_once and
freeze (for the failsafe tests; off by default so other tests' tool counts stay). `--fail-start TEXT`
prints TEXT on stderr and exits at once (a backend that cannot start). The server speaks both protocol eras, as the
SDK does; tools that behave differently per era (ask, grow, touch) do what each era requires.
"""

from __future__ import annotations

import argparse
import json
import base64
import os
import socket
import sys
import time
from typing import Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.subscriptions import ListenHandler
import mcp_types as types
from mcp_types import CallToolResult, ImageContent, TextContent
from pydantic import BaseModel, Field
from typing import Annotated
from typing_extensions import TypedDict

# 1x1 transparent PNG (valid: IHDR, IDAT, IEND with correct CRCs).
PNG_1X1_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PNG_1X1 = base64.b64decode(PNG_1X1_B64)
MODERN = "2026-07-28"


def planted_secret(kind: str) -> str:
    """A credential-shaped value of `kind` (fake; assembled here so no full token sits in the source)."""
    body = "\n".join(("MIIEowIBAAKCAQEA" + "x7Qp3Lm9Rt2Vw8Zb4Nc6Yd1Ke5Fg0Hj" * 2)[:64] for _ in range(6))
    values = {
        "aws_access_key": "AK" + "IA" + "IOSFODNN7EXAMPLE",
        "aws_secret_key": "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
        "github_token": "gh" + "p_" + "R7kq2Lm9Xw4Tz8Vb3Nc6Yd1Ke5Fg0HjPaSuW",
        "private_key": "-----BEGIN RSA " + "PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----",
        "jwt": "ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    }
    return values[kind]


class AddResult(TypedDict):
    sum: int


class TestServer(MCPServer):
    """MCPServer with an optional never-answering `tools/list` (``--hang-on-list``)."""

    hang_on_list: bool = False
    page_size: int = 0

    async def _handle_list_tools(self, ctx: Any, params: Any):  # type: ignore[override]
        if self.hang_on_list:
            await anyio.sleep_forever()
        result = await super()._handle_list_tools(ctx, params)
        if self.page_size <= 0:
            return result
        # --page-size: serve tools/list in pages linked by nextCursor (cursor = start offset).
        start = int(getattr(params, "cursor", None) or 0) if params is not None else 0
        tools = list(result.tools)
        page = tools[start:start + self.page_size]
        nxt = str(start + self.page_size) if start + self.page_size < len(tools) else None
        return result.model_copy(update={"tools": page, "next_cursor": nxt})


class Answer(BaseModel):
    answer: str


def add_failsafe_tools(mcp: TestServer) -> None:
    @mcp.tool(description="Crash (exit at once) if `marker` does not exist yet, creating it; else return 'survived'.",
              structured_output=False)
    def crash_once(marker: str) -> str:
        if not os.path.exists(marker):
            with open(marker, "w") as f:
                f.write(str(os.getpid()))
            sys.stderr.flush()
            os._exit(1)
        return "survived"

    @mcp.tool(description="Stop this whole process (SIGSTOP): hung, not dead; nothing answers any more.",
              structured_output=False)
    def freeze() -> str:
        import signal
        os.kill(os.getpid(), signal.SIGSTOP)
        return "thawed"


def build_server(name: str, hang_on_list: bool = False, page_size: int = 0) -> TestServer:
    mcp = TestServer(
        name,
        version="1.0.0",
        instructions=f"Interop test backend '{name}'.",
        log_level="WARNING",
    )
    mcp.hang_on_list = hang_on_list
    mcp.page_size = page_size

    # Tool pinning tests change this description, or the name, between runs (a "rug pull").
    @mcp.tool(name=os.environ.get("INTEROP_ECHO_NAME", "echo"),
              description=os.environ.get("INTEROP_ECHO_DESCRIPTION", "Echo the given text back unchanged."),
              structured_output=False)
    def echo(text: str) -> str:
        # Tests that must prove a refused request never reached the backend name a file here.
        record = os.environ.get("INTEROP_CALL_RECORD")
        if record:
            with open(record, "a") as f:
                f.write(text + "\n")
        return text

    @mcp.tool(description="Add two integers and return their sum as structured content.")
    def add(a: int, b: int) -> AddResult:
        return AddResult(sum=a + b)

    @mcp.tool(description="Return a tiny PNG image block and a text block.")
    def image() -> CallToolResult:
        return CallToolResult(
            content=[
                ImageContent(type="image", data=PNG_1X1_B64, mime_type="image/png"),
                TextContent(type="text", text="a 1x1 png"),
            ]
        )

    @mcp.tool(description="Fail with a tool-level error (isError: true) carrying the message.")
    def fail(message: str) -> CallToolResult:
        return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)

    @mcp.tool(description="Send `steps` progress notifications, ~50 ms apart, then return 'done'.",
              structured_output=False)
    async def progress(steps: int, ctx: Context) -> str:
        for i in range(1, steps + 1):
            await ctx.report_progress(i, steps, f"step {i}/{steps}")
            await anyio.sleep(0.05)
        return "done"

    @mcp.tool(description="Sleep for `seconds` then return 'slept'.", structured_output=False)
    async def slow(seconds: float) -> str:
        await anyio.sleep(seconds)
        return "slept"

    @mcp.tool(description="Kill this server process immediately (simulates a crash mid-call).",
              structured_output=False)
    def crash() -> str:
        sys.stderr.flush()
        os._exit(1)

    @mcp.tool(description="Return this server's process id as text.", structured_output=False)
    def pid() -> str:
        return str(os.getpid())

    @mcp.tool(description="Return the value of environment variable `name` ('' when unset).",
              structured_output=False)
    def getenv(name: str) -> str:
        return os.environ.get(name, "")

    @mcp.tool(description="Return a planted, fake credential of `kind` (aws_access_key, aws_secret_key, "
                          "github_token, private_key, jwt) inside a sentence, for the redaction tests.",
              structured_output=False)
    def leak(kind: str) -> str:
        return f"here it is: {planted_secret(kind)} (kind {kind})"

    @mcp.tool(description="Never return (sleeps for a day).", structured_output=False)
    async def hang() -> str:
        await anyio.sleep(86400)
        return "woke up"

    @mcp.tool(description="Ask the user a question (elicitation) and return 'answer: ...' or the action.",
              structured_output=False)
    async def ask(question: str, ctx: Context) -> str | types.InputRequiredResult:
        if ctx.protocol_version == MODERN:
            # 2026-07-28 has no server-to-client requests: ask with an input_required result.
            answer = (ctx.input_responses or {}).get("answer")
            if answer is None:
                return types.InputRequiredResult(
                    request_state=f"asked:{question}",
                    input_requests={"answer": types.ElicitRequest(params=types.ElicitRequestFormParams(
                        message=question, requested_schema=Answer.model_json_schema()))})
            if ctx.request_state != f"asked:{question}":
                raise ValueError(f"requestState came back altered: {ctx.request_state!r}")
            if answer.action == "accept" and answer.content is not None:
                return f"answer: {answer.content['answer']}"
            return answer.action
        result = await ctx.elicit(question, Answer)
        if result.action == "accept" and result.data is not None:
            return f"answer: {result.data.answer}"
        return result.action

    @mcp.tool(description="Ask the client's model to complete `prompt` (sampling) and return 'sampled: ...'.",
              structured_output=False)
    async def sample(prompt: str, ctx: Context) -> str | types.InputRequiredResult:
        message = types.SamplingMessage(role="user", content=types.TextContent(type="text", text=prompt))
        if ctx.protocol_version == MODERN:
            answer = (ctx.input_responses or {}).get("completion")
            if answer is None:
                return types.InputRequiredResult(
                    request_state=f"sampling:{prompt}",
                    input_requests={"completion": types.CreateMessageRequest(params=types.CreateMessageRequestParams(
                        messages=[message], max_tokens=64))})
            if ctx.request_state != f"sampling:{prompt}":
                raise ValueError(f"requestState came back altered: {ctx.request_state!r}")
        else:
            answer = await ctx.session.create_message(messages=[message], max_tokens=64)
        content = answer.content
        text = content.text if isinstance(content, types.TextContent) else repr(content)
        return f"sampled: {text} (model {answer.model})"

    @mcp.tool(description="List the client's roots (roots/list) and return their URIs, comma separated.",
              structured_output=False)
    async def roots(ctx: Context) -> str | types.InputRequiredResult:
        if ctx.protocol_version == MODERN:
            answer = (ctx.input_responses or {}).get("roots")
            if answer is None:
                return types.InputRequiredResult(request_state="roots",
                                                 input_requests={"roots": types.ListRootsRequest()})
        else:
            answer = await ctx.session.list_roots()
        return "roots: " + ",".join(str(root.uri) for root in answer.roots)

    @mcp.tool(description="Send a log message (notifications/message) with `text`, then echo it.",
              structured_output=False)
    async def log_echo(text: str, ctx: Context) -> str:
        await ctx.info(text)
        await anyio.sleep(0.05)
        return text

    @mcp.tool(description="Wait up to `seconds`; if cancelled, write 'cancelled' to `marker`.",
              structured_output=False)
    async def wait_cancel(seconds: float, marker: str) -> str:
        try:
            await anyio.sleep(seconds)
        except anyio.get_cancelled_exc_class():
            # Written whole, then renamed: a test that sees the file sees its content (it once
            # read the file between its creation and the write).
            with open(marker + ".tmp", "w") as fh:
                fh.write("cancelled")
            os.replace(marker + ".tmp", marker)
            raise
        return "not cancelled"

    @mcp.tool(description="Register a new tool named `name` and notify tools/list_changed "
                          "(unless `notify` is false: then only a fresh tools/list shows it).",
              structured_output=False)
    async def grow(name: str, ctx: Context, notify: bool = True) -> str:
        def grown(text: str) -> str:
            return f"{name}: {text}"

        mcp.add_tool(grown, name=name, description=f"Dynamically added tool {name} that echoes with a prefix.",
                     structured_output=False)
        if not notify:
            return f"added {name}"
        if ctx.protocol_version == MODERN:
            await ctx.notify_tools_changed()
        else:
            await ctx.session.send_tool_list_changed()
        return f"added {name}"

    # Resources, a resource template, a prompt, and resources/subscribe bookkeeping, so the
    # gateway's aggregation and subscription relay can be checked.
    @mcp.resource(f"test://{name}/info", name=f"{name}-info", description=f"Facts about backend {name}.")
    def info() -> str:
        return f"backend {name} info"

    @mcp.resource(f"test://{name}/items/{{item}}", name=f"{name}-item", description="One item by name.")
    def item(item: str) -> str:
        return f"item {item} from {name}"

    @mcp.resource(f"test://{name}/credentials", name=f"{name}-credentials",
                  description="A fake AWS credentials file (planted secrets, for the redaction tests).")
    def credentials() -> str:
        return ("[default]\naws_access_key_id = " + planted_secret("aws_access_key") + "\n"
                + planted_secret("aws_secret_key") + "\n")

    @mcp.prompt(description="Greet someone by name.")
    def greet(who: str) -> str:
        return f"Hello {who}, from {name}!"

    subscribed: set[str] = set()

    async def on_subscribe(ctx: Any, params: types.SubscribeRequestParams) -> types.EmptyResult:
        subscribed.add(str(params.uri))
        return types.EmptyResult()

    async def on_unsubscribe(ctx: Any, params: types.UnsubscribeRequestParams) -> types.EmptyResult:
        subscribed.discard(str(params.uri))
        return types.EmptyResult()

    mcp._lowlevel_server.add_request_handler("resources/subscribe", types.SubscribeRequestParams, on_subscribe)
    mcp._lowlevel_server.add_request_handler("resources/unsubscribe", types.UnsubscribeRequestParams, on_unsubscribe)

    # 2026-07-28 subscribes through the filters of open subscriptions/listen streams.
    listens: dict[Any, list[str]] = {}
    listen_handler = ListenHandler(mcp._subscriptions)

    async def on_listen(ctx: Any, params: types.SubscriptionsListenRequestParams) -> Any:
        listens[ctx.request_id] = list(params.notifications.resource_subscriptions or [])
        try:
            return await listen_handler(ctx, params)
        finally:
            listens.pop(ctx.request_id, None)

    mcp._lowlevel_server.add_request_handler("subscriptions/listen", types.SubscriptionsListenRequestParams, on_listen)

    @mcp.tool(description="List the resource URIs currently subscribed (comma separated).", structured_output=False)
    def subscriptions() -> str:
        return ",".join(sorted(subscribed.union(*listens.values())))

    @mcp.tool(description="Send notifications/resources/updated for `uri`.", structured_output=False)
    async def touch(uri: str, ctx: Context) -> str:
        if ctx.protocol_version == MODERN:
            await ctx.notify_resource_updated(uri)
        else:
            await ctx.session.send_resource_updated(uri)
        return f"touched {uri}"

    @mcp.tool(description="Return the HTTP request headers this call arrived with, as JSON (HTTP transports).",
              structured_output=False)
    def request_headers(ctx: Context) -> str:
        return json.dumps(dict(ctx.headers or {}))

    @mcp.tool(description="Return the request metadata (params._meta) this call arrived with, as JSON.",
              structured_output=False)
    def request_meta(ctx: Context) -> str:
        return json.dumps(dict(ctx.request_context.meta or {}), default=str)

    @mcp.tool(description="Deploy to a region; the region travels in an Mcp-Param-Region header at 2026-07-28.",
              structured_output=False)
    def deploy(region: Annotated[str, Field(json_schema_extra={"x-mcp-header": "Region"})], ctx: Context) -> str:
        headers = ctx.headers or {}
        return f"deployed to {region} (header: {headers.get('mcp-param-region', 'none')})"

    @mcp.tool(description="Report the protocol version this call arrived with.", structured_output=False)
    def era(ctx: Context) -> str:
        return str(ctx.protocol_version)

    return mcp


def _without_modern_version_header(app: Any) -> Any:
    """ASGI wrapper: drop `mcp-protocol-version: 2026…`, as a server of the handshake era never reads it."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") == "http":
            headers = [(k, v) for k, v in scope.get("headers", [])
                       if not (k.lower() == b"mcp-protocol-version" and v.startswith(b"2026"))]
            scope = {**scope, "headers": headers}
        await app(scope, receive, send)

    return wrapped


async def _serve_http(app: Any, sock: socket.socket, url: str) -> None:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:
            await anyio.sleep(0.01)
        print(f"READY {url}", flush=True)

    async with anyio.create_task_group() as tg:
        tg.start_soon(announce)
        await server.serve(sockets=[sock])
        tg.cancel_scope.cancel()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--transport", choices=["stdio", "streamable-http", "sse"], default="stdio")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--name", default="test")
    p.add_argument("--hang-on-list", action="store_true", help="never answer tools/list")
    p.add_argument("--page-size", type=int, default=0, help="serve tools/list in pages of this size")
    p.add_argument("--json-response", action="store_true", help="streamable-http: answer JSON, not SSE")
    p.add_argument("--stateless", action="store_true", help="streamable-http: stateless mode (no sessions)")
    p.add_argument("--legacy-only", action="store_true",
                   help="streamable-http: behave like a server that predates 2026-07-28 (the version header of "
                        "that era is dropped, so such requests are handled, and refused, as handshake-era ones)")
    p.add_argument("--start-delay", type=float, default=0.0,
                   help="seconds to wait before serving anything (a server that is slow to start)")
    p.add_argument("--tag", default="", help="ignored; marks the command line so tests can find strays")
    p.add_argument("--failsafe-tools", action="store_true", help="also serve crash_once and freeze")
    p.add_argument("--fail-start", default="", help="print this on stderr and exit 3 at once")
    args = p.parse_args(argv)
    if args.fail_start:
        print(args.fail_start, file=sys.stderr, flush=True)
        sys.exit(3)
    if args.start_delay > 0:
        time.sleep(args.start_delay)

    mcp = build_server(args.name, hang_on_list=args.hang_on_list, page_size=args.page_size)
    if args.failsafe_tools:
        add_failsafe_tools(mcp)

    if args.transport == "stdio":
        anyio.run(mcp.run_stdio_async)
        return

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    port = sock.getsockname()[1]
    if args.transport == "streamable-http":
        app = mcp.streamable_http_app(json_response=args.json_response, stateless_http=args.stateless)
        if args.legacy_only:
            app = _without_modern_version_header(app)
        url = f"http://127.0.0.1:{port}/mcp"
    else:
        app = mcp.sse_app()
        url = f"http://127.0.0.1:{port}/sse"
    try:
        anyio.run(_serve_http, app, sock, url)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
