"""The gateway's Streamable HTTP front end (/mcp), driven by the official SDK client and raw httpx.

One gateway for the whole module, in front of three backends, one per upstream transport:
  alpha  stdio            (servers/server.py spawned by the gateway)
  beta   streamable_http  (servers/server.py started by the test)
  gamma  sse              (servers/server.py started by the test)
"""

from __future__ import annotations

import datetime
import email.utils
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client

import harness
from harness import META_TOOLS, PNG_1X1_B64, gw_client, invoke, structured, text_of, wire_call_result

pytestmark = pytest.mark.anyio

BACKENDS = ["alpha", "beta", "gamma"]
SURFACED = [("alpha", "echo"), ("beta", "add")]
DESCRIPTIONS = {
    "alpha": "Alpha stdio backend: echo, arithmetic and images for the interop suite",
    "beta": "Beta streamable HTTP backend for the interop suite",
    "gamma": "Gamma legacy SSE backend for the interop suite",
}
LEAK = "interop-secret-that-must-not-reach-backends"


@pytest.fixture(scope="module")
def env(log_dir: Path):
    beta = gamma = gw = None
    try:
        beta = harness.start_http_backend("beta", "streamable-http", log_dir)
        gamma = harness.start_http_backend("gamma", "sse", log_dir)
        cfg = harness.make_config(
            {
                "alpha": harness.stdio_backend("alpha", description=DESCRIPTIONS["alpha"],
                                               env={"GREETING": "hello from config"}),
                "beta": harness.http_backend(beta, "streamable_http", DESCRIPTIONS["beta"]),
                "gamma": harness.http_backend(gamma, "sse", DESCRIPTIONS["gamma"]),
            },
            surfaced=SURFACED,
        )
        path = harness.write_config(log_dir / "gateway.yaml", cfg)
        gw = harness.start_gateway(path, log_dir, env={"INTEROP_LEAK": LEAK})
        yield {"gw": gw, "beta": beta, "gamma": gamma}
    finally:
        if gw:
            gw.stop()
        for b in (beta, gamma):
            if b:
                b.stop()


@pytest.fixture
def gw(env) -> harness.Gateway:
    return env["gw"]


def direct_client(env: dict[str, Any], name: str) -> Client:
    """SDK client straight to an HTTP backend (bypassing the gateway), for faithful-relay comparisons."""
    if name == "beta":
        return Client(env["beta"].url, mode="legacy")
    return Client(sse_client(env["gamma"].url), mode="legacy")


# ------------------------------------------------------------------------------------------
# health
# ------------------------------------------------------------------------------------------


def test_ready_and_health(gw) -> None:
    assert httpx.get(f"{gw.base}/ready", timeout=5).status_code == 200
    h = gw.health()
    assert h["status"] in ("healthy", "degraded"), h
    assert isinstance(h["version"], str) and h["version"]
    assert isinstance(h["uptime_s"], (int, float)) and h["uptime_s"] >= 0
    assert set(h["backends"]) == set(BACKENDS), h["backends"]
    for name, b in h["backends"].items():
        for key in ("status", "transport", "tools", "last_error"):
            assert key in b, f"/health backends.{name} lacks {key!r}: {b}"


def test_every_response_carries_date_and_server(gw) -> None:
    for r in (httpx.get(f"{gw.base}/health", timeout=5), httpx.get(f"{gw.base}/no-such-route", timeout=5)):
        assert r.headers.get("server") == "mcp-gateway"
        sent = email.utils.parsedate_to_datetime(r.headers["date"])
        assert abs((sent - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 5, r.headers["date"]


# ------------------------------------------------------------------------------------------
# the tool surface
# ------------------------------------------------------------------------------------------


async def test_tools_list_is_meta_tools_plus_surfaced(gw) -> None:
    async with gw_client(gw) as c:
        assert c.protocol_version in harness.HANDSHAKE_VERSIONS
        tools = (await c.list_tools()).tools
    names = [t.name for t in tools]
    assert len(names) == len(set(names)), f"duplicate tool names: {names}"
    assert set(names) == META_TOOLS | {f"{s}__{t}" for s, t in SURFACED}, names
    for t in tools:
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", t.name), t.name
        assert t.description, f"{t.name} has no description"
        assert t.input_schema.get("type") == "object", t.input_schema
    surfaced = {t.name: t for t in tools}
    # a surfaced tool keeps the backend's schema
    assert surfaced["alpha__echo"].input_schema["properties"]["text"]["type"] == "string"
    assert surfaced["beta__add"].input_schema["required"] == ["a", "b"]


async def test_surfaced_tools_are_directly_callable(gw) -> None:
    async with gw_client(gw) as c:
        r = await c.call_tool("alpha__echo", {"text": "surfaced hello"})
        assert wire_call_result(r) == {"content": [{"type": "text", "text": "surfaced hello"}],
                                       "structuredContent": None, "isError": False}
        r = await c.call_tool("beta__add", {"a": 20, "b": 22})
        assert r.structured_content == {"sum": 42}
        assert r.is_error is False


async def test_list_servers(gw) -> None:
    async with gw_client(gw) as c:
        data = structured(await c.call_tool("gateway_list_servers", {}))
    servers = {s["name"]: s for s in data["servers"]}
    assert set(servers) == set(BACKENDS), data
    for name, s in servers.items():
        for key in ("name", "description", "transport", "status", "tools"):
            assert key in s, f"server {name} lacks {key!r}: {s}"
        assert s["description"] == DESCRIPTIONS[name]
    assert "stdio" in servers["alpha"]["transport"].lower()
    assert "sse" in servers["gamma"]["transport"].lower()
    assert "stream" in servers["beta"]["transport"].lower() or "http" in servers["beta"]["transport"].lower()


@pytest.mark.parametrize("server", BACKENDS)
async def test_list_tools_of_one_server(gw, server: str) -> None:
    async with gw_client(gw) as c:
        data = structured(await c.call_tool("gateway_list_tools", {"server": server}))
    assert data["server"] == server
    tools = {t["name"]: t for t in data["tools"]}
    assert set(tools) == harness.BACKEND_TOOLS
    # full tool objects, as the backend lists them
    assert tools["echo"]["inputSchema"]["properties"]["text"]["type"] == "string"
    assert tools["add"]["outputSchema"]["properties"]["sum"]["type"] == "integer"
    assert tools["echo"]["description"] == "Echo the given text back unchanged."


async def test_list_tools_of_all_servers(gw) -> None:
    async with gw_client(gw) as c:
        data = structured(await c.call_tool("gateway_list_tools", {}))
    rows = data["tools"]
    assert data["total"] == len(rows) == 3 * len(harness.BACKEND_TOOLS), data["total"]
    pairs = {(r["server"], r["name"]) for r in rows}
    assert pairs == {(s, t) for s in BACKENDS for t in harness.BACKEND_TOOLS}
    assert all("description" in r for r in rows)


async def test_search_tools(gw) -> None:
    async with gw_client(gw) as c:
        r = await c.call_tool("gateway_search_tools", {"query": "add two integers sum"})
    data = structured(r)
    matches = data["matches"]
    assert matches, data
    assert matches[0]["tool"] == "add", matches[:3]
    assert matches[0]["server"] in BACKENDS
    assert data["total"] >= len(matches)
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True), scores
    for i, m in enumerate(matches):
        for key in ("server", "tool", "description", "score"):
            assert key in m, m
        if i < 3:
            assert "inputSchema" in m, f"match #{i + 1} lacks inputSchema: {m}"
        else:
            assert "inputSchema" not in m, f"match #{i + 1} carries inputSchema (only the top 3 should): {m}"
    # the same JSON as a text block
    texts = [b.text for b in r.content if b.type == "text"]
    assert any(json.loads(t) == data for t in texts), texts


async def test_search_tools_limit_and_server_terms(gw) -> None:
    async with gw_client(gw) as c:
        data = structured(await c.call_tool("gateway_search_tools", {"query": "echo text", "limit": 2}))
        assert 1 <= len(data["matches"]) <= 2
        assert data["matches"][0]["tool"] == "echo"
        # server descriptions are searchable: 'legacy SSE' only describes gamma
        data = structured(await c.call_tool("gateway_search_tools", {"query": "gamma legacy sse echo"}))
        assert (data["matches"][0]["server"], data["matches"][0]["tool"]) == ("gamma", "echo"), data["matches"][:3]


# ------------------------------------------------------------------------------------------
# gateway_invoke: faithful relay
# ------------------------------------------------------------------------------------------

EXPECTED = {
    ("echo", json.dumps({"text": "relay ✓ <&>"})): {
        "content": [{"type": "text", "text": "relay ✓ <&>"}], "structuredContent": None, "isError": False},
    ("add", json.dumps({"a": 7, "b": 35})): {
        "content": [{"type": "text", "text": '{\n  "sum": 42\n}'}], "structuredContent": {"sum": 42}, "isError": False},
    ("image", json.dumps({})): {
        "content": [{"type": "image", "data": PNG_1X1_B64, "mimeType": "image/png"},
                    {"type": "text", "text": "a 1x1 png"}], "structuredContent": None, "isError": False},
    ("fail", json.dumps({"message": "tool-level failure"})): {
        "content": [{"type": "text", "text": "tool-level failure"}], "structuredContent": None, "isError": True},
}


@pytest.mark.parametrize("tool,args", list(EXPECTED), ids=[k[0] for k in EXPECTED])
@pytest.mark.parametrize("server", BACKENDS)
async def test_invoke_relays_result_unchanged(gw, env, server: str, tool: str, args: str) -> None:
    arguments = json.loads(args)
    async with gw_client(gw) as c:
        via_gateway = wire_call_result(await invoke(c, server, tool, arguments))
    assert via_gateway == EXPECTED[(tool, args)]
    if server != "alpha":  # and byte-for-byte what the backend itself answers
        async with direct_client(env, server) as d:
            assert via_gateway == wire_call_result(await d.call_tool(tool, arguments))


async def test_invoke_accepts_arguments_as_json_string(gw) -> None:
    async with gw_client(gw) as c:
        r = await c.call_tool("gateway_invoke", {"server": "alpha", "tool": "add", "arguments": '{"a": 2, "b": 5}'})
    assert r.is_error is False, text_of(r)
    assert r.structured_content == {"sum": 7}


@pytest.mark.parametrize("server,tool,suggestion", [
    ("alpah", "echo", "alpha"),
    ("alpha", "ecoh", "echo"),
    ("betta", "add", "beta"),
])
async def test_invoke_unknown_name_suggests(gw, server: str, tool: str, suggestion: str) -> None:
    async with gw_client(gw) as c:
        r = await invoke(c, server, tool, {"text": "x"})
    assert r.is_error is True
    text = text_of(r)
    assert "did you mean" in text.lower(), text
    assert suggestion in text, text


@pytest.mark.parametrize("server", BACKENDS)
async def test_invoke_relays_progress(gw, server: str) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with gw_client(gw) as c:
        r = await invoke(c, server, "progress", {"steps": 5}, progress_callback=on_progress)
    assert text_of(r) == "done"
    assert [p for p, _, _ in seen] == [1, 2, 3, 4, 5], seen
    assert [t for _, t, _ in seen] == [5] * 5
    assert seen[0][2] == "step 1/5"


def test_raw_progress_answer_is_event_stream(gw) -> None:
    with harness.RawSession(gw.url) as s:
        s.initialize()
        r, msgs, resp = s.request("tools/call", {
            "name": "gateway_invoke",
            "arguments": {"server": "beta", "tool": "progress", "arguments": {"steps": 3}},
            "_meta": {"progressToken": "raw-token-1"},
        })
    assert r.headers["content-type"].startswith("text/event-stream"), r.headers
    progress = [m for m in msgs if m.get("method") == "notifications/progress"]
    assert [m["params"]["progress"] for m in progress] == [1, 2, 3], msgs
    assert all(m["params"]["progressToken"] == "raw-token-1" for m in progress), progress
    # progress arrives before the final response
    assert msgs.index(resp) > msgs.index(progress[-1])
    assert resp["result"]["content"] == [{"type": "text", "text": "done"}]


async def test_stdio_backend_gets_clean_env_plus_configured_env(gw) -> None:
    async with gw_client(gw) as c:
        assert text_of(await invoke(c, "alpha", "getenv", {"name": "GREETING"})) == "hello from config"
        assert text_of(await invoke(c, "alpha", "getenv", {"name": "INTEROP_LEAK"})) == ""
        assert text_of(await invoke(c, "alpha", "getenv", {"name": "PATH"})) != ""


# ------------------------------------------------------------------------------------------
# /mcp/{backend} passthrough
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("server", BACKENDS)
def test_passthrough_tools_list(gw, server: str) -> None:
    r = httpx.post(f"{gw.base}/mcp/{server}", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                   headers={"Accept": harness.ACCEPT_BOTH, "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 200, r.text[:500]
    resp = harness.final_response(harness.response_messages(r), 1)
    assert {t["name"] for t in resp["result"]["tools"]} == harness.BACKEND_TOOLS


def test_passthrough_tools_call(gw) -> None:
    body = {"jsonrpc": "2.0", "id": "call-1", "method": "tools/call",
            "params": {"name": "add", "arguments": {"a": 1, "b": 1}}}
    r = httpx.post(f"{gw.base}/mcp/gamma", json=body,
                   headers={"Accept": harness.ACCEPT_BOTH, "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 200, r.text[:500]
    resp = harness.final_response(harness.response_messages(r), "call-1")
    assert resp["result"]["structuredContent"] == {"sum": 2}


# ------------------------------------------------------------------------------------------
# Streamable HTTP protocol rules (raw httpx)
# ------------------------------------------------------------------------------------------

TOOLS_LIST = {"jsonrpc": "2.0", "id": 9, "method": "tools/list"}
JSON_HEADERS = {"Accept": harness.ACCEPT_BOTH, "Content-Type": "application/json"}


@pytest.mark.parametrize("version", harness.HANDSHAKE_VERSIONS)
def test_initialize_each_protocol_version(gw, version: str) -> None:
    with harness.RawSession(gw.url, version) as s:
        init = s.initialize()
        assert init["protocolVersion"] == version
        assert "tools" in init["capabilities"]
        assert init["serverInfo"]["name"]
        _, _, resp = s.request("tools/list")
        assert META_TOOLS <= {t["name"] for t in resp["result"]["tools"]}
        _, _, resp = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "alpha", "tool": "echo", "arguments": {"text": version}}})
        assert resp["result"]["content"] == [{"type": "text", "text": version}]


def test_raw_post_gets_json_answer(gw) -> None:
    with harness.RawSession(gw.url) as s:
        s.initialize()
        r, msgs, resp = s.request("tools/list")
        assert r.headers["content-type"].startswith("application/json"), r.headers
        assert len(msgs) == 1 and META_TOOLS <= {t["name"] for t in resp["result"]["tools"]}
        r, msgs, resp = s.request("ping")
        assert resp["result"] == {}


def test_unknown_session_is_404(gw) -> None:
    r = httpx.post(gw.url, json=TOOLS_LIST, headers={**JSON_HEADERS, "Mcp-Session-Id": "no-such-session"}, timeout=10)
    assert r.status_code == 404, r.text


def test_missing_session_is_400(gw) -> None:
    r = httpx.post(gw.url, json=TOOLS_LIST, headers=JSON_HEADERS, timeout=10)
    assert r.status_code == 400, r.text


def test_foreign_origin_is_403(gw) -> None:
    r = httpx.post(gw.url, json=harness.initialize_body(), headers={**JSON_HEADERS, "Origin": "http://evil.example"},
                   timeout=10)
    assert r.status_code == 403, r.text


def test_local_origin_is_allowed(gw) -> None:
    r = httpx.post(gw.url, json=harness.initialize_body(),
                   headers={**JSON_HEADERS, "Origin": f"http://127.0.0.1:{gw.port}"}, timeout=10)
    assert r.status_code == 200, r.text


def test_wrong_content_type_is_415(gw) -> None:
    r = httpx.post(gw.url, content=json.dumps(harness.initialize_body()),
                   headers={"Accept": harness.ACCEPT_BOTH, "Content-Type": "text/plain"}, timeout=10)
    assert r.status_code == 415, r.text


def test_deleted_session_is_gone(gw) -> None:
    s = harness.RawSession(gw.url)
    s.initialize()
    r = s.client.delete(gw.url, headers=s.headers())
    if r.status_code == 405:
        s.client.close()
        pytest.skip("gateway does not support DELETE of sessions (405, allowed by the spec)")
    assert r.status_code in (200, 202, 204), r.text
    r = s.post(TOOLS_LIST)
    s.client.close()
    assert r.status_code == 404, r.text


def test_sessions_are_isolated_and_concurrent(gw) -> None:
    """Two sessions at once; a slow call in one does not hold up the other."""
    with harness.RawSession(gw.url) as a, harness.RawSession(gw.url) as b:
        a.initialize()
        b.initialize()
        assert a.session_id != b.session_id
        out: dict[str, Any] = {}

        def slow() -> None:
            out["slow"] = a.request("tools/call", {"name": "gateway_invoke", "arguments": {
                "server": "beta", "tool": "slow", "arguments": {"seconds": 1.5}}})[2]

        t = threading.Thread(target=slow)
        t0 = time.monotonic()
        t.start()
        time.sleep(0.2)
        resp = b.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "beta", "tool": "echo", "arguments": {"text": "fast"}}})[2]
        fast = time.monotonic() - t0
        t.join(10)
        assert resp["result"]["content"][0]["text"] == "fast"
        assert fast < 1.3, f"echo waited for the other session's slow call ({fast:.2f}s)"
        assert out["slow"]["result"]["content"][0]["text"] == "slept"


# ------------------------------------------------------------------------------------------
# SDK client modes
# ------------------------------------------------------------------------------------------


async def test_sdk_default_auto_mode_works(gw) -> None:
    """mcp 2.3.0's default mode='auto' probes `server/discover` first; it must end up working quickly
    (a gateway that ignores the probe costs the client a 10 s timeout)."""
    t0 = time.monotonic()
    async with Client(gw.url, read_timeout_seconds=30) as c:  # mode defaults to 'auto'
        negotiated = time.monotonic() - t0
        assert c.protocol_version in (*harness.HANDSHAKE_VERSIONS, "2026-07-28")
        names = {t.name for t in (await c.list_tools()).tools}
        assert META_TOOLS <= names
        r = await invoke(c, "beta", "echo", {"text": "auto mode"})
        assert text_of(r) == "auto mode"
    assert negotiated < 5, f"auto-mode negotiation took {negotiated:.1f}s (did the gateway ignore server/discover?)"


async def test_sdk_many_parallel_calls(gw) -> None:
    async with gw_client(gw) as c:
        results: dict[int, str] = {}

        async def one(i: int) -> None:
            server = BACKENDS[i % 3]
            results[i] = text_of(await invoke(c, server, "echo", {"text": f"msg-{i}"}))

        async with anyio.create_task_group() as tg:
            for i in range(24):
                tg.start_soon(one, i)
    assert results == {i: f"msg-{i}" for i in range(24)}


@pytest.mark.parametrize("size", [0, 1, 8191, 65536, 3 * 1024 * 1024 + 7])
@pytest.mark.parametrize("server", ["beta", "gamma"])
async def test_request_bodies_of_any_size_reach_http_backends_intact(gw, server: str, size: int) -> None:
    """Relayed request bodies are framed by Content-Length and written past NIO's encoder:
    every size arrives whole, and the connection stays usable for the next call."""
    text = "".join(chr(0x41 + (i * 7) % 26) for i in range(size))
    async with gw_client(gw) as c:
        assert text_of(await invoke(c, server, "echo", {"text": text})) == text
        assert text_of(await invoke(c, server, "echo", {"text": "next"})) == "next"


async def test_unknown_server_points_to_where_the_tool_lives(gw) -> None:
    """A wrong server name with a right tool name: the error names the servers that have that tool."""
    async with gw_client(gw) as c:
        await c.call_tool("gateway_list_servers", {})
        r = await invoke(c, "no-such-server", "add", {"a": 1, "b": 2})
    assert r.is_error
    hits = {(h["server"], h["tool"]) for h in r.structured_content["hits"]}
    assert ("alpha", "add") in hits or ("beta", "add") in hits, r.structured_content
