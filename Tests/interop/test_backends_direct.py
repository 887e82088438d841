"""The backend test servers and the fleet servers, driven directly with the SDK client (no gateway).

These guard the fixtures the gateway tests build on: if one of these fails, the gateway tests
that use the same backend cannot be trusted either. They also pin down what the official SDK
does on the wire (so the gateway tests' expectations match the reference implementation).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

import harness
from harness import PNG_1X1_B64, PYTHON, HttpBackend, server_argv

pytestmark = pytest.mark.anyio

TRANSPORTS = ["stdio", "streamable-http", "sse"]


@pytest.fixture(scope="module")
def http_backends(log_dir: Path):
    started: dict[str, HttpBackend] = {}
    try:
        started["streamable-http"] = harness.start_http_backend("direct-sh", "streamable-http", log_dir)
        started["sse"] = harness.start_http_backend("direct-sse", "sse", log_dir)
        started["json"] = harness.start_http_backend("direct-json", "streamable-http", log_dir, "--json-response")
        yield started
    finally:
        for b in started.values():
            b.stop()


def transport_for(kind: str, http_backends: dict[str, HttpBackend], log_dir: Path, *extra: str) -> Any:
    """An SDK Transport (or URL) reaching a backend of the given kind."""
    if kind == "stdio":
        argv = server_argv("direct-stdio", "stdio", *extra)
        errlog = open(log_dir / "direct-stdio.log", "a")
        return stdio_client(StdioServerParameters(command=argv[0], args=argv[1:]), errlog=errlog)
    if kind == "streamable-http":
        return http_backends["streamable-http"].url
    return sse_client(http_backends["sse"].url)


@asynccontextmanager
async def connect(kind: str, http_backends: dict[str, HttpBackend], log_dir: Path, mode: str = "legacy",
                  **kw: Any) -> AsyncIterator[Client]:
    async with Client(transport_for(kind, http_backends, log_dir), mode=mode, read_timeout_seconds=20, **kw) as c:
        yield c


@pytest.mark.parametrize("mode,expected", [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_negotiation_and_tool_list(kind: str, mode: str, expected: str, http_backends, log_dir) -> None:
    async with connect(kind, http_backends, log_dir, mode=mode) as c:
        # The SDK 2.x server speaks both eras: legacy clients get the handshake version,
        # mode='auto' gets 2026-07-28 via server/discover.
        assert c.protocol_version == expected
        assert c.server_info is not None and c.server_info.name.startswith("direct-")
        names = {t.name for t in (await c.list_tools()).tools}
        assert harness.BACKEND_TOOLS <= names


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_echo(kind: str, http_backends, log_dir) -> None:
    async with connect(kind, http_backends, log_dir) as c:
        r = await c.call_tool("echo", {"text": "hello, interop ✓"})
        assert r.is_error is False
        assert [(b.type, b.text) for b in r.content] == [("text", "hello, interop ✓")]
        assert r.structured_content is None


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_add_structured(kind: str, http_backends, log_dir) -> None:
    async with connect(kind, http_backends, log_dir) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        assert tools["add"].output_schema is not None
        assert tools["add"].output_schema["properties"]["sum"]["type"] == "integer"
        r = await c.call_tool("add", {"a": 2, "b": 40})
        assert r.is_error is False
        assert r.structured_content == {"sum": 42}
        assert r.content[0].type == "text" and '"sum": 42' in r.content[0].text


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_image(kind: str, http_backends, log_dir) -> None:
    async with connect(kind, http_backends, log_dir) as c:
        r = await c.call_tool("image", {})
        assert [b.type for b in r.content] == ["image", "text"]
        assert r.content[0].data == PNG_1X1_B64
        assert r.content[0].mime_type == "image/png"


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_fail_is_tool_error(kind: str, http_backends, log_dir) -> None:
    async with connect(kind, http_backends, log_dir) as c:
        r = await c.call_tool("fail", {"message": "deliberate failure"})
        assert r.is_error is True
        assert [(b.type, b.text) for b in r.content] == [("text", "deliberate failure")]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_progress_notifications(kind: str, mode: str, http_backends, log_dir) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with connect(kind, http_backends, log_dir, mode=mode) as c:
        r = await c.call_tool("progress", {"steps": 4}, progress_callback=on_progress)
        assert harness.text_of(r) == "done"
    assert [p for p, _, _ in seen] == [1, 2, 3, 4]
    assert all(t == 4 for _, t, _ in seen)


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_pid_and_getenv(kind: str, http_backends, log_dir) -> None:
    async with connect(kind, http_backends, log_dir) as c:
        pid = int(harness.text_of(await c.call_tool("pid", {})))
        assert harness.pid_alive(pid)
        if kind != "stdio":
            assert pid == http_backends[kind].pid
        assert harness.text_of(await c.call_tool("getenv", {"name": "PATH"})) != ""
        assert harness.text_of(await c.call_tool("getenv", {"name": "INTEROP_SURELY_UNSET"})) == ""


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_slow_calls_run_concurrently(kind: str, http_backends, log_dir) -> None:
    """The SDK server handles requests concurrently (a slow call does not block an echo)."""
    async with connect(kind, http_backends, log_dir) as c:
        await c.list_tools()
        done: dict[str, float] = {}
        t0 = time.monotonic()

        async def slow() -> None:
            assert harness.text_of(await c.call_tool("slow", {"seconds": 1.5})) == "slept"
            done["slow"] = time.monotonic() - t0

        async with anyio.create_task_group() as tg:
            tg.start_soon(slow)
            await anyio.sleep(0.2)
            assert harness.text_of(await c.call_tool("echo", {"text": "x"})) == "x"
            done["echo"] = time.monotonic() - t0
        assert done["echo"] < 1.2, done
        assert done["slow"] >= 1.5, done


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_crash_kills_backend_and_errors(kind: str, log_dir: Path) -> None:
    """`crash` exits the server mid-call; the client gets an error promptly (no hang)."""
    backend: HttpBackend | None = None
    try:
        if kind == "stdio":
            argv = server_argv("crashy", "stdio")
            transport: Any = stdio_client(StdioServerParameters(command=argv[0], args=argv[1:]),
                                          errlog=open(log_dir / "crashy.log", "a"))
        else:
            backend = harness.start_http_backend(f"crashy-{kind}", kind, log_dir)
            transport = backend.url if kind == "streamable-http" else sse_client(backend.url)
        t0 = time.monotonic()
        pid = None
        with pytest.raises(BaseException) as excinfo:  # noqa: PT011 (MCPError, possibly in an ExceptionGroup)
            with anyio.fail_after(15):
                async with Client(transport, mode="legacy", read_timeout_seconds=10) as c:
                    pid = int(harness.text_of(await c.call_tool("pid", {})))
                    await c.call_tool("crash", {})
        elapsed = time.monotonic() - t0
        assert not isinstance(excinfo.value, TimeoutError), "crash call hung"
        assert _contains(excinfo.value, MCPError), repr(excinfo.value)
        assert elapsed < 10
        assert pid is not None and harness.wait_dead([pid], 5) == []
    finally:
        if backend:
            backend.stop()


def _contains(exc: BaseException, typ: type[BaseException]) -> bool:
    if isinstance(exc, typ):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return any(_contains(e, typ) for e in exc.exceptions)
    return False


async def test_hang_on_list_never_answers_tools_list(log_dir: Path) -> None:
    argv = server_argv("stuck", "stdio", "--hang-on-list")
    transport = stdio_client(StdioServerParameters(command=argv[0], args=argv[1:]),
                             errlog=open(log_dir / "stuck.log", "a"))
    # The read timeout also bounds the handshake, which a loaded CI machine can take over a
    # second to reach (a Python server starting); 5 s is the hang the test waits out.
    async with Client(transport, mode="legacy", read_timeout_seconds=5) as c:
        assert c.server_info is not None and c.server_info.name == "stuck"
        with pytest.raises(MCPError) as ei:
            await c.list_tools()
        assert "timed out" in str(ei.value).lower()
        await c.send_ping()  # the server itself is alive


# ----------------------------------------------------------------------------------------------
# raw wire checks against the SDK's own Streamable HTTP server (validates harness.RawSession and
# shows what the reference implementation answers; the gateway tests expect the same shapes)
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", harness.HANDSHAKE_VERSIONS)
def test_raw_initialize_versions_on_sdk_server(version: str, http_backends) -> None:
    with harness.RawSession(http_backends["streamable-http"].url, version) as s:
        init = s.initialize()
        assert init["protocolVersion"] == version
        _, _, resp = s.request("tools/list")
        assert harness.BACKEND_TOOLS <= {t["name"] for t in resp["result"]["tools"]}


def test_raw_json_response_mode_on_sdk_server(http_backends) -> None:
    with harness.RawSession(http_backends["json"].url) as s:
        s.initialize()
        r, msgs, resp = s.request("tools/call", {"name": "add", "arguments": {"a": 1, "b": 2}})
        assert r.headers["content-type"].startswith("application/json")
        assert resp["result"]["structuredContent"] == {"sum": 3}


def test_raw_progress_is_streamed_as_sse_by_sdk_server(http_backends) -> None:
    with harness.RawSession(http_backends["streamable-http"].url) as s:
        s.initialize()
        r, msgs, resp = s.request("tools/call", {"name": "progress", "arguments": {"steps": 3},
                                                 "_meta": {"progressToken": "tok-1"}})
        assert r.headers["content-type"].startswith("text/event-stream")
        prog = [m for m in msgs if m.get("method") == "notifications/progress"]
        assert [m["params"]["progress"] for m in prog] == [1, 2, 3]
        assert all(m["params"]["progressToken"] == "tok-1" for m in prog)
        assert resp["result"]["content"][0]["text"] == "done"


def test_raw_http_errors_of_sdk_server(http_backends) -> None:
    """What the SDK server answers for the error cases the gateway contract also covers."""
    url = http_backends["streamable-http"].url
    base = {"Accept": harness.ACCEPT_BOTH, "Content-Type": "application/json"}
    tools_list = {"jsonrpc": "2.0", "id": 7, "method": "tools/list"}
    with httpx.Client(timeout=10) as h:
        assert h.post(url, json=tools_list, headers={**base, "Mcp-Session-Id": "no-such-session"}).status_code == 404
        assert h.post(url, json=tools_list, headers=base).status_code == 400
        r = h.post(url, json=harness.initialize_body(), headers={**base, "Origin": "http://evil.example"})
        assert r.status_code == 403
        r = h.post(url, content=b"{}", headers={**base, "Content-Type": "text/plain"})
        assert r.status_code in (400, 415)  # the SDK says 400 here; the gateway contract says 415


# ----------------------------------------------------------------------------------------------
# the real fleet servers from PyPI (git, time, fetch) over stdio
# ----------------------------------------------------------------------------------------------


def fleet_params(name: str, git_repo: Path) -> StdioServerParameters:
    b = harness.VENV_BIN
    argv = {
        "git": [str(b / "mcp-server-git"), "--repository", str(git_repo)],
        "time": [str(b / "mcp-server-time"), "--local-timezone", "UTC"],
        "fetch": [str(b / "mcp-server-fetch"), "--ignore-robots-txt", "--allow-private-ips"],
    }[name]
    return StdioServerParameters(command=argv[0], args=argv[1:], env={"HOME": str(git_repo.parent)})


@pytest.mark.parametrize("name", ["git", "time", "fetch"])
async def test_fleet_server_direct(name: str, git_repo: Path, local_site: str, log_dir: Path) -> None:
    calls: dict[str, tuple[str, dict[str, Any], str]] = {
        "git": ("git_log", {"repo_path": str(git_repo)}, "second interop commit"),
        "time": ("get_current_time", {"timezone": "UTC"}, '"timezone": "UTC"'),
        "fetch": ("fetch", {"url": f"{local_site}/page.txt", "raw": True}, "Hello Interop"),
    }
    tool, args, needle = calls[name]
    transport = stdio_client(fleet_params(name, git_repo), errlog=open(log_dir / f"fleet-{name}.log", "a"))
    async with Client(transport, mode="legacy", read_timeout_seconds=30) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        assert tool in names
        r = await c.call_tool(tool, args)
        assert r.is_error is False, harness.text_of(r)
        assert needle in harness.text_of(r)
