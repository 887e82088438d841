"""The gateway's other front ends and the WebSocket backend transport.

- `/sse` + `/messages` (2024-11-05 HTTP+SSE) driven by the official Python SDK client
  (`mcp.client.sse.sse_client`), plus wire-level checks with httpx.
- `/ws` (subprotocol `mcp`) driven by a real WebSocket client (`websockets`; the SDK 2.x ships no
  WebSocket client transport).
- A WebSocket backend (`http_url: ws://…`): servers/ws_server.py bridges `websockets` to the SDK's
  own server with the usual test tool set.

Backends: alpha (stdio), grower (stdio, adds tools at run time), wsb (WebSocket).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

import harness
from harness import invoke, structured, text_of

pytestmark = pytest.mark.anyio

WS_SERVER_PY = harness.HERE / "servers" / "ws_server.py"


def start_ws_backend(name: str, log_dir: Path, *extra: str, port: int = 0, timeout: float = 20.0) -> harness.HttpBackend:
    """Start servers/ws_server.py on an OS-chosen port; return once it printed `READY <url>`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"backend-{name}.log"
    with open(log, "ab") as errf:
        proc = subprocess.Popen(
            [harness.PYTHON, str(WS_SERVER_PY), "--port", str(port), "--name", name, "--tag", harness.RUN_TAG, *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errf, start_new_session=True,
        )
    harness._register(proc)
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    buf = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunk = proc.stdout.read()
        if chunk:
            buf += chunk
            m = re.search(rb"READY (\S+)\n", buf)
            if m:
                return harness.HttpBackend(name, "websocket", m.group(1).decode(), proc, log)
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    harness.kill_group(proc)
    raise RuntimeError(f"ws backend {name} did not become ready:\n{harness.tail(log)}")


@pytest.fixture(scope="module")
def env(log_dir: Path):
    wsb = gw = None
    try:
        # The backend refuses upgrades without the configured header: proves `headers:` reach it.
        wsb = start_ws_backend("wsb", log_dir, "--require-header", "X-Interop=ws")
        cfg = harness.make_config({
            "alpha": harness.stdio_backend("alpha"),
            "grower": harness.stdio_backend("grower"),
            "wsb": {"http_url": wsb.url, "description": "wsb interop test backend (websocket)", "timeout": "5s",
                    "headers": {"X-Interop": "ws"}},
        })
        # Backends start at boot, so the catalog is settled before the first client: the SDK's
        # sse_client fails its exit when a notification (tools/list_changed) arrives as it closes.
        cfg["meta_mcp"]["warm_start"] = ["*"]
        gw = harness.start_gateway(harness.write_config(log_dir / "ws-sse.yaml", cfg), log_dir)
        yield {"gw": gw, "wsb": wsb}
    finally:
        if gw:
            gw.stop()
        if wsb:
            wsb.stop()


def sse_url(gw: harness.Gateway) -> str:
    return f"{gw.base}/sse"


def ws_url(gw: harness.Gateway) -> str:
    return f"ws://127.0.0.1:{gw.port}/ws"


def sse_client_for(gw: harness.Gateway, **kw: Any) -> Client:
    return Client(sse_client(sse_url(gw)), mode="legacy", read_timeout_seconds=30, **kw)


async def answer_yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"answer": f"yes to {params.message}"})


# ------------------------------------------------------------------------------------------
# legacy HTTP+SSE front end, official SDK client
# ------------------------------------------------------------------------------------------


async def test_sse_client_lists_and_searches(env) -> None:
    async with sse_client_for(env["gw"]) as c:
        assert c.protocol_version in harness.HANDSHAKE_VERSIONS
        tools = await c.list_tools()
        assert {t.name for t in tools.tools} == harness.META_TOOLS
        data = structured(await c.call_tool("gateway_search_tools", {"query": "echo text back unchanged"}))
        assert data["matches"][0]["tool"] == "echo", data["matches"][:3]


async def test_sse_client_invokes_echo_and_image(env) -> None:
    async with sse_client_for(env["gw"]) as c:
        assert text_of(await invoke(c, "alpha", "echo", {"text": "over sse"})) == "over sse"
        image = harness.wire_call_result(await invoke(c, "alpha", "image"))
    assert image == {
        "content": [
            {"type": "image", "data": harness.PNG_1X1_B64, "mimeType": "image/png"},
            {"type": "text", "text": "a 1x1 png"},
        ],
        "structuredContent": None,
        "isError": False,
    }


async def test_sse_client_receives_progress(env) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with sse_client_for(env["gw"]) as c:
        r = await invoke(c, "alpha", "progress", {"steps": 3}, progress_callback=on_progress)
    assert text_of(r) == "done"
    assert [p for p, _, _ in seen] == [1, 2, 3], seen
    assert seen[0][2] == "step 1/3"


async def test_sse_client_elicitation_round_trip(env) -> None:
    async with sse_client_for(env["gw"], elicitation_callback=answer_yes) as c:
        result = await invoke(c, "alpha", "ask", {"question": "proceed?"})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "answer: yes to proceed?"


# ------------------------------------------------------------------------------------------
# legacy HTTP+SSE front end, on the wire
# ------------------------------------------------------------------------------------------


def read_sse_event(lines: Any) -> tuple[str, str]:
    """The next (event, data) from an iterator of SSE lines; comments are skipped."""
    event, data = "message", []
    for line in lines:
        if line == "":
            if data:
                return event, "\n".join(data)
            continue
        if line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if key == "event":
            event = value
        elif key == "data":
            data.append(value)
    raise AssertionError("event stream ended")


def test_sse_endpoint_event_and_message_checks(env) -> None:
    gw = env["gw"]
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", sse_url(gw), headers={"Accept": "text/event-stream"}) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            event, data = read_sse_event(lines)
            assert event == "endpoint"
            assert re.fullmatch(r"/messages\?session_id=[\x21-\x7e]+", data), data
            post_url = f"{gw.base}{data}"
            json_headers = {"Content-Type": "application/json"}

            r = client.post(post_url, json=harness.initialize_body("2024-11-05", 7), headers=json_headers)
            assert r.status_code == 202, r.text
            event, data = read_sse_event(lines)
            assert event == "message"
            reply = json.loads(data)
            assert reply["id"] == 7 and reply["result"]["protocolVersion"] == "2024-11-05", reply

            r = client.post(post_url, content=b"{not json", headers=json_headers)
            assert r.status_code == 400, r.text
            r = client.post(post_url, content=b'{"jsonrpc":"2.0","id":1,"method":"ping"}',
                            headers={"Content-Type": "text/plain"})
            assert r.status_code == 415, r.text
            r = client.post(post_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                            headers={**json_headers, "Origin": "http://evil.example"})
            assert r.status_code == 403, r.text
            r = client.post(f"{gw.base}/messages?session_id=no-such-session",
                            json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=json_headers)
            assert r.status_code == 404, r.text
            r = client.post(f"{gw.base}/messages", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                            headers=json_headers)
            assert r.status_code == 400, r.text

            r = client.post(post_url, json={"jsonrpc": "2.0", "id": 8, "method": "ping"}, headers=json_headers)
            assert r.status_code == 202, r.text
            event, data = read_sse_event(lines)
            assert json.loads(data) == {"jsonrpc": "2.0", "id": 8, "result": {}}

        # Closing the stream ends the session: its message URL is gone soon after.
        status = 202
        for _ in range(100):
            status = client.post(post_url, json={"jsonrpc": "2.0", "id": 9, "method": "ping"}, headers=json_headers).status_code
            if status == 404:
                break
            time.sleep(0.05)
        assert status == 404

        r = client.get(sse_url(gw), headers={"Accept": "text/event-stream", "Origin": "http://evil.example"})
        assert r.status_code == 403, r.text


# ------------------------------------------------------------------------------------------
# WebSocket front end, real WebSocket client
# ------------------------------------------------------------------------------------------


class WsSession:
    """A hand-driven MCP session over one WebSocket (one JSON-RPC message per text frame)."""

    def __init__(self, ws: ClientConnection):
        self.ws = ws
        self.next_id = 1
        #: Messages `response` read past while waiting (notifications, other replies).
        self.skipped: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, timeout: float = 15) -> dict[str, Any]:
        with anyio.fail_after(timeout):
            frame = await self.ws.recv()
        assert isinstance(frame, str), f"expected a text frame, got {frame!r}"
        return json.loads(frame)

    async def request(self, method: str, params: dict[str, Any] | None = None) -> int:
        rid = self.next_id
        self.next_id += 1
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            body["params"] = params
        await self.send(body)
        return rid

    async def response(self, rid: int, timeout: float = 15) -> dict[str, Any]:
        """Reads until the response to `rid`; what comes before it is kept in `skipped`."""
        deadline = time.monotonic() + timeout
        for _ in range(1000):
            message = await self.receive(max(0.1, deadline - time.monotonic()))
            if message.get("id") == rid and ("result" in message or "error" in message):
                return message
            self.skipped.append(message)
        raise AssertionError(f"no response to {rid}")

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.response(await self.request(method, params))

    async def initialize(self, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        reply = await self.call("initialize", {
            "protocolVersion": "2025-06-18",
            "capabilities": capabilities or {},
            "clientInfo": {"name": "interop-ws", "version": "0"},
        })
        await self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return reply


@asynccontextmanager
async def ws_session(gw: harness.Gateway, **kw: Any) -> AsyncIterator[WsSession]:
    async with connect(ws_url(gw), subprotocols=["mcp"], open_timeout=10, max_size=None, **kw) as ws:
        assert ws.subprotocol == "mcp"
        yield WsSession(ws)


async def test_ws_initialize_list_and_invoke(env) -> None:
    async with ws_session(env["gw"]) as s:
        init = await s.initialize()
        assert init["result"]["protocolVersion"] == "2025-06-18", init
        assert init["result"]["serverInfo"]["name"] == "mcp-gateway"
        listed = await s.call("tools/list")
        assert {t["name"] for t in listed["result"]["tools"]} == harness.META_TOOLS
        r = await s.call("tools/call", {"name": "gateway_invoke",
                                        "arguments": {"server": "alpha", "tool": "echo", "arguments": {"text": "over ws"}}})
        assert r["result"]["content"] == [{"type": "text", "text": "over ws"}], r


async def test_ws_stateless_era_fixed_by_first_request(env) -> None:
    """As on stdio: a first `server/discover` makes the connection 2026-07-28 for good."""
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "interop-ws", "version": "0"}}
    async with ws_session(env["gw"]) as s:
        discovered = await s.call("server/discover", {"_meta": meta})
        assert "2026-07-28" in discovered["result"]["supportedVersions"], discovered
        r = await s.call("tools/call", {"name": "gateway_invoke", "_meta": meta, "arguments": {
            "server": "alpha", "tool": "echo", "arguments": {"text": "modern ws"}}})
        assert r["result"]["content"] == [{"type": "text", "text": "modern ws"}], r
        refused = await s.call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                              "clientInfo": {"name": "late", "version": "0"}})
        assert refused["error"]["code"] == -32022, refused


async def test_ws_slow_call_does_not_block_ping(env) -> None:
    async with ws_session(env["gw"]) as s:
        await s.initialize()
        slow = await s.request("tools/call", {"name": "gateway_invoke",
                                              "arguments": {"server": "alpha", "tool": "slow", "arguments": {"seconds": 1.5}}})
        t0 = time.monotonic()
        ping = await s.request("ping")
        first = await s.receive(timeout=10)
        assert first == {"jsonrpc": "2.0", "id": ping, "result": {}}, first
        assert time.monotonic() - t0 < 1.0
        done = await s.response(slow)
        assert done["result"]["content"] == [{"type": "text", "text": "slept"}], done


async def test_ws_cancellation_reaches_the_backend(env, tmp_path: Path) -> None:
    marker = tmp_path / "cancelled-ws"
    async with ws_session(env["gw"]) as s:
        await s.initialize()
        rid = await s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "alpha", "tool": "wait_cancel", "arguments": {"seconds": 20, "marker": str(marker)}}})
        await anyio.sleep(0.5)
        await s.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": rid}})
        for _ in range(100):
            if marker.exists():
                break
            await anyio.sleep(0.05)
        assert marker.read_text() == "cancelled"
        # The cancelled request gets no response; the connection still answers.
        assert await s.call("ping") == {"jsonrpc": "2.0", "id": rid + 1, "result": {}}


async def test_ws_elicitation_round_trip(env) -> None:
    async with ws_session(env["gw"]) as s:
        await s.initialize({"elicitation": {}})
        rid = await s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "alpha", "tool": "ask", "arguments": {"question": "ok?"}}})
        ask = None
        for _ in range(20):
            message = await s.receive()
            if message.get("method") == "elicitation/create":
                ask = message
                break
        assert ask is not None and "id" in ask, ask
        assert ask["params"]["message"] == "ok?"
        await s.send({"jsonrpc": "2.0", "id": ask["id"], "result": {"action": "accept", "content": {"answer": "yes"}}})
        done = await s.response(rid)
        assert done["result"]["content"] == [{"type": "text", "text": "answer: yes"}], done


async def test_ws_pushes_log_messages_and_list_changed(env) -> None:
    async with ws_session(env["gw"]) as s:
        await s.initialize()
        await s.call("logging/setLevel", {"level": "info"})
        rid = await s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "alpha", "tool": "log_echo", "arguments": {"text": "hello ws log"}}})
        await s.call("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "grower", "tool": "grow", "arguments": {"name": "ws_grown_tool"}}})
        seen = s.skipped
        for _ in range(200):
            methods = {m.get("method") for m in seen}
            answered = any(m.get("id") == rid for m in seen)
            if answered and {"notifications/message", "notifications/tools/list_changed"} <= methods:
                break
            seen.append(await s.receive())
    logs = [m["params"] for m in seen if m.get("method") == "notifications/message"]
    assert any("hello ws log" in json.dumps(p) and p.get("logger") == "alpha" for p in logs), logs
    assert any(m.get("id") == rid and "result" in m for m in seen), seen


async def test_ws_foreign_origin_and_missing_subprotocol_are_refused(env) -> None:
    gw = env["gw"]
    with pytest.raises(InvalidStatus) as refused:
        async with connect(ws_url(gw), subprotocols=["mcp"], origin="http://evil.example", open_timeout=10):
            pass
    assert refused.value.response.status_code == 403
    # A page on another localhost port is another origin: refused as well.
    with pytest.raises(InvalidStatus) as refused:
        async with connect(ws_url(gw), subprotocols=["mcp"], origin="http://localhost:3000", open_timeout=10):
            pass
    assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        async with connect(ws_url(gw), open_timeout=10):
            pass
    # The gateway's own origin is fine.
    async with ws_session(gw, origin=f"http://localhost:{gw.port}") as s:
        await s.initialize()


def test_ws_plain_get_says_upgrade_required(env) -> None:
    r = httpx.get(f"{env['gw'].base}/ws", timeout=10)
    assert r.status_code == 426, r.text
    assert r.headers.get("upgrade", "").lower() == "websocket"


# ------------------------------------------------------------------------------------------
# WebSocket backend
# ------------------------------------------------------------------------------------------


async def test_ws_backend_tools_invoke_and_transport(env) -> None:
    async with harness.gw_client(env["gw"]) as c:
        listed = structured(await c.call_tool("gateway_list_tools", {"server": "wsb"}))
        assert {t["name"] for t in listed["tools"]} == harness.BACKEND_TOOLS
        assert text_of(await invoke(c, "wsb", "echo", {"text": "through a websocket"})) == "through a websocket"
        image = harness.wire_call_result(await invoke(c, "wsb", "image"))
        assert image["content"][0] == {"type": "image", "data": harness.PNG_1X1_B64, "mimeType": "image/png"}
        pid = int(text_of(await invoke(c, "wsb", "pid")))
        assert pid == env["wsb"].pid
        servers = {s["name"]: s for s in structured(await c.call_tool("gateway_list_servers", {}))["servers"]}
    assert servers["wsb"]["transport"] == "websocket", servers["wsb"]
    health = env["gw"].health()["backends"]["wsb"]
    assert health["transport"] == "websocket", health


async def test_ws_backend_progress(env) -> None:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with harness.gw_client(env["gw"]) as c:
        r = await invoke(c, "wsb", "progress", {"steps": 3}, progress_callback=on_progress)
    assert text_of(r) == "done"
    assert seen == [1, 2, 3]


async def test_ws_backend_close_is_reported_and_next_call_reconnects(log_dir: Path) -> None:
    port = harness.free_port()
    backend = start_ws_backend("phoenix", log_dir, port=port)
    revived = gw = None
    try:
        cfg = harness.make_config({"phoenix": {"http_url": f"ws://127.0.0.1:{port}/", "timeout": "5s"}})
        gw = harness.start_gateway(harness.write_config(log_dir / "ws-phoenix.yaml", cfg), log_dir)
        async with harness.gw_client(gw) as c:
            assert int(text_of(await invoke(c, "phoenix", "pid"))) == backend.pid
            backend.stop()
            state: dict[str, Any] = {}
            for _ in range(100):
                state = gw.health()["backends"]["phoenix"]
                if state["status"] != "running":
                    break
                await anyio.sleep(0.05)
            assert state["status"] != "running", state
            assert "websocket" in (state.get("last_error") or ""), state
            revived = start_ws_backend("phoenix", log_dir, port=port)
            assert int(text_of(await invoke(c, "phoenix", "pid"))) == revived.pid
    finally:
        if gw:
            gw.stop()
        for b in (backend, revived):
            if b:
                b.stop()


def test_ws_backend_call_in_flight_survives_graceful_shutdown(log_dir: Path) -> None:
    """SIGTERM drains in-flight calls; the backend socket must not close before they finish."""
    backend = start_ws_backend("drain", log_dir)
    gw = None
    try:
        cfg = harness.make_config({"drain": {"http_url": backend.url, "timeout": "10s"}}, shutdown_timeout="5s")
        gw = harness.start_gateway(harness.write_config(log_dir / "ws-drain.yaml", cfg), log_dir)
        outcome: dict[str, Any] = {}

        def call() -> None:
            with harness.RawSession(gw.url, timeout=20) as s:
                s.initialize()
                s.request("tools/call", {"name": "gateway_invoke", "arguments": {
                    "server": "drain", "tool": "echo", "arguments": {"text": "warm"}}})
                started.set()
                _, _, outcome["final"] = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
                    "server": "drain", "tool": "slow", "arguments": {"seconds": 1.5}}})

        started = threading.Event()
        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        assert started.wait(15)
        time.sleep(0.5)
        rc, _ = gw.terminate()
        worker.join(10)
        assert rc is not None
        assert outcome["final"]["result"]["content"] == [{"type": "text", "text": "slept"}], outcome
    finally:
        if gw:
            gw.stop()
        backend.stop()
