"""Faithful relay beyond results: elicitation round trips, backend log messages, cancellation,
tools/list_changed, paginated tool lists, expired backend sessions, size limits and batches.

Backends: alpha (stdio), beta (Streamable HTTP), gamma (legacy SSE), pager (stdio, tools/list
in pages of 3), grower (stdio, adds tools at run time).
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client

import harness
from harness import gw_client, invoke, structured, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def env(log_dir: Path):
    beta = gamma = gw = None
    try:
        beta = harness.start_http_backend("beta", "streamable-http", log_dir)
        gamma = harness.start_http_backend("gamma", "sse", log_dir)
        cfg = harness.make_config({
            "alpha": harness.stdio_backend("alpha"),
            "beta": harness.http_backend(beta, "streamable_http"),
            "gamma": harness.http_backend(gamma, "sse"),
            "pager": harness.stdio_backend("pager", "--page-size", "3"),
            "grower": harness.stdio_backend("grower"),
        })
        path = harness.write_config(log_dir / "relay.yaml", cfg)
        gw = harness.start_gateway(path, log_dir)
        yield {"gw": gw, "beta": beta, "gamma": gamma, "log_dir": log_dir}
    finally:
        if gw:
            gw.stop()
        for b in (beta, gamma):
            if b:
                b.stop()


async def answer_yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"answer": f"yes to {params.message}"})


@pytest.mark.parametrize("server", ["alpha", "beta", "gamma"])
async def test_elicitation_round_trip(env, server: str) -> None:
    async with gw_client(env["gw"], elicitation_callback=answer_yes) as c:
        result = await invoke(c, server, "ask", {"question": "proceed?"})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "answer: yes to proceed?"


async def test_elicitation_without_client_capability_is_refused(env) -> None:
    """A client that did not declare elicitation is never asked; the backend gets an error."""
    async with gw_client(env["gw"]) as c:
        result = await invoke(c, "alpha", "ask", {"question": "proceed?"})
    assert result.is_error or "answer:" not in text_of(result), text_of(result)


async def test_elicitation_over_stdio_front_end(env, log_dir: Path) -> None:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    path = harness.write_config(log_dir / "relay-stdio.yaml", cfg)
    async with Client(harness.gateway_stdio_params(path), mode="legacy", elicitation_callback=answer_yes) as c:
        result = await invoke(c, "alpha", "ask", {"question": "ok?"})
    assert text_of(result) == "answer: yes to ok?"


async def test_backend_log_messages_reach_the_client(env) -> None:
    received: list[types.LoggingMessageNotificationParams] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        received.append(params)

    async with gw_client(env["gw"], logging_callback=on_log) as c:
        await c.set_logging_level("info")
        result = await invoke(c, "alpha", "log_echo", {"text": "hello log"})
        assert text_of(result) == "hello log"
        with anyio.fail_after(5):
            while not any("hello log" in json.dumps(p.data) for p in received):
                await anyio.sleep(0.05)
    assert any(p.logger == "alpha" or "alpha" in (p.logger or "") for p in received), received


@pytest.mark.parametrize("server", ["alpha", "beta"])
async def test_cancellation_reaches_the_backend(env, server: str, tmp_path: Path) -> None:
    marker = tmp_path / f"cancelled-{server}"
    async with gw_client(env["gw"]) as c:
        with anyio.move_on_after(1.0):
            await invoke(c, server, "wait_cancel", {"seconds": 20, "marker": str(marker)})
        # The connection stays usable after a cancelled call.
        assert text_of(await invoke(c, server, "echo", {"text": "still here"})) == "still here"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not marker.exists():
        time.sleep(0.05)
    assert marker.exists() and marker.read_text() == "cancelled"


async def test_paginated_tool_list_is_followed_to_the_end(env) -> None:
    async with gw_client(env["gw"]) as c:
        listed = structured(await c.call_tool("gateway_list_tools", {"server": "pager"}))
    assert {t["name"] for t in listed["tools"]} == harness.BACKEND_TOOLS


async def test_backend_list_changed_updates_catalog_and_notifies(env) -> None:
    seen: list[str] = []

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ServerNotification) or hasattr(message, "root"):
            seen.append(type(getattr(message, "root", message)).__name__)
        else:
            seen.append(type(message).__name__)

    async with gw_client(env["gw"], message_handler=on_message) as c:
        await c.call_tool("gateway_list_servers", {})
        result = await invoke(c, "grower", "grow", {"name": "zebra_stripes_counter"})
        assert "added" in text_of(result)
        await harness.search_until_top(c, "zebra stripes counter", "zebra_stripes_counter", timeout=10)
        grown = await invoke(c, "grower", "zebra_stripes_counter", {"text": "hi"})
        assert text_of(grown) == "zebra_stripes_counter: hi"


async def test_expired_tool_list_is_refetched_without_list_changed(log_dir: Path) -> None:
    """A backend that adds a tool silently is seen once its cached list expires: the gateway
    looks for expired lists on searches (at most once a second), not only on list_changed."""
    cfg = harness.make_config({"grower": harness.stdio_backend("grower")},
                              extra={"meta_mcp": {"enabled": True, "cache_ttl": "2s"}})
    gw = harness.start_gateway(harness.write_config(log_dir / "ttl.yaml", cfg), log_dir)
    try:
        async with gw_client(gw) as c:
            await c.call_tool("gateway_list_servers", {})
            added = await invoke(c, "grower", "grow", {"name": "quiet_walrus_tally", "notify": False})
            assert "added" in text_of(added)
            await harness.search_until_top(c, "quiet walrus tally", "quiet_walrus_tally", timeout=15, pause=0.2)
    finally:
        gw.stop()


def test_list_changed_is_sent_on_the_get_stream(env) -> None:
    """A raw session with an open GET stream receives notifications/tools/list_changed."""
    gw = env["gw"]
    session = harness.RawSession(gw.url)
    session.initialize()
    lines: list[str] = []
    with httpx.Client(timeout=None) as client:
        with client.stream("GET", gw.url, headers={"accept": "text/event-stream",
                                                   "mcp-session-id": session.session_id}) as stream:
            caller = harness.RawSession(gw.url)
            caller.initialize()
            caller.request("tools/call", {"name": "gateway_invoke",
                                       "arguments": {"server": "grower", "tool": "grow",
                                                     "arguments": {"name": "yak_shaver"}}})
            deadline = time.monotonic() + 10
            for line in stream.iter_lines():
                lines.append(line)
                if "notifications/tools/list_changed" in line or time.monotonic() > deadline:
                    break
    assert any("notifications/tools/list_changed" in line for line in lines), lines


async def test_expired_backend_session_is_reinitialized(log_dir: Path) -> None:
    """The HTTP backend restarts (forgetting its sessions): the next call still works."""
    port = harness.free_port()
    backend = harness.start_http_backend("phoenix", "streamable-http", log_dir, "--port", str(port))
    gw = None
    try:
        cfg = harness.make_config({"phoenix": harness.http_backend(backend, "streamable_http")})
        gw = harness.start_gateway(harness.write_config(log_dir / "phoenix.yaml", cfg), log_dir)
        async with gw_client(gw) as c:
            first = text_of(await invoke(c, "phoenix", "pid"))
            backend.stop()
            backend = harness.start_http_backend("phoenix", "streamable-http", log_dir, "--port", str(port))
            second = await invoke(c, "phoenix", "pid")
            assert not second.is_error, text_of(second)
            assert text_of(second) != first
    finally:
        if gw:
            gw.stop()
        backend.stop()


def test_oversized_body_is_413(env) -> None:
    session = harness.RawSession(env["gw"].url)
    session.initialize()
    body = json.dumps({"jsonrpc": "2.0", "id": 9, "method": "tools/call",
                       "params": {"name": "gateway_search_tools", "arguments": {"query": "x" * (11 * 1024 * 1024)}}})
    r = httpx.post(env["gw"].url, content=body, timeout=30,
                   headers={"content-type": "application/json", "accept": harness.ACCEPT_BOTH,
                            "mcp-session-id": session.session_id})
    assert r.status_code == 413


def test_batch_in_protocol_2025_03_26(env) -> None:
    url = env["gw"].url
    headers = {"content-type": "application/json", "accept": harness.ACCEPT_BOTH}
    init = httpx.post(url, json=harness.initialize_body("2025-03-26"), headers=headers, timeout=10)
    sid = init.headers["mcp-session-id"]
    batch = [{"jsonrpc": "2.0", "id": 1, "method": "ping"},
             {"jsonrpc": "2.0", "method": "notifications/initialized"},
             {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}]
    r = httpx.post(url, json=batch, headers={**headers, "mcp-session-id": sid, "mcp-protocol-version": "2025-03-26"},
                   timeout=10)
    assert r.status_code == 200
    replies = r.json()
    assert [m["id"] for m in replies] == [1, 2]
    assert {t["name"] for t in replies[1]["result"]["tools"]} >= harness.META_TOOLS
    # The same batch is refused under 2025-06-18, which removed batching.
    init = httpx.post(url, json=harness.initialize_body("2025-06-18"), headers=headers, timeout=10)
    r = httpx.post(url, json=batch, headers={**headers, "mcp-session-id": init.headers["mcp-session-id"],
                                             "mcp-protocol-version": "2025-06-18"}, timeout=10)
    assert r.status_code == 400


def _read_events(stream: Any, want: int, deadline_s: float = 10) -> list[dict[str, Any]]:
    """Parse SSE events (id, retry, data) from a streaming httpx response until `want` data events."""
    events: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    deadline = time.monotonic() + deadline_s
    for line in stream.iter_lines():
        if line == "":
            if current:
                events.append(current)
                if sum(1 for e in events if e.get("data")) >= want:
                    break
            current = {}
        elif line.startswith(":"):
            pass
        else:
            field, _, value = line.partition(":")
            current[field] = value[1:] if value.startswith(" ") else value
        if time.monotonic() > deadline:
            break
    return events


def test_get_stream_resumes_with_last_event_id(env) -> None:
    """Messages sent while the client was disconnected are replayed after its Last-Event-ID."""
    gw = env["gw"]
    session = harness.RawSession(gw.url)
    session.initialize()
    trigger = harness.RawSession(gw.url)
    trigger.initialize()

    def grow(name: str) -> None:
        trigger.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "grower", "tool": "grow", "arguments": {"name": name}}})

    get_headers = {"accept": "text/event-stream", "mcp-session-id": session.session_id}
    with httpx.Client(timeout=None) as client:
        with client.stream("GET", gw.url, headers=get_headers) as stream:
            grow("resume_one")
            events = _read_events(stream, want=1)
    priming = events[0]
    assert "id" in priming and priming.get("retry"), events
    first = next(e for e in events if e.get("data"))
    assert "list_changed" in first["data"] and first.get("id")
    grow("resume_two")  # sent while no stream is open
    time.sleep(0.5)
    with httpx.Client(timeout=None) as client:
        with client.stream("GET", gw.url, headers={**get_headers, "last-event-id": first["id"]}) as stream:
            replayed = [e for e in _read_events(stream, want=1) if e.get("data")]
    assert replayed and "list_changed" in replayed[0]["data"], replayed
    assert replayed[0]["id"] != first["id"]


@pytest.mark.parametrize("server", ["alpha", "beta"])
def test_post_stream_resumes_with_last_event_id(env, server: str) -> None:
    """A broken POST event stream is resumed by GET with the last event id it carried: the
    rest of the progress and the final answer arrive, and the call was never cancelled."""
    gw = env["gw"]
    session = harness.RawSession(gw.url)
    session.initialize()
    body = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {
        "name": "gateway_invoke", "_meta": {"progressToken": "resume-me"},
        "arguments": {"server": server, "tool": "progress", "arguments": {"steps": 8}}}}
    with httpx.Client(timeout=None) as client:
        with client.stream("POST", gw.url, json=body, headers=session.headers()) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            events = _read_events(stream, want=1)
    # Dropped after the priming event and the first progress notification.
    priming, first = events[0], events[1]
    assert priming.get("id") and priming.get("retry") and not priming.get("data"), events
    assert first.get("id") and json.loads(first["data"])["params"]["progress"] == 1, events
    get_headers = {"accept": "text/event-stream", "mcp-session-id": session.session_id}
    with httpx.Client(timeout=None) as client:
        with client.stream("GET", gw.url, headers={**get_headers, "last-event-id": first["id"]}) as stream:
            resumed = [json.loads(e["data"]) for e in _read_events(stream, want=8, deadline_s=15) if e.get("data")]
    progress = [m["params"]["progress"] for m in resumed if m.get("method") == "notifications/progress"]
    assert progress == [2, 3, 4, 5, 6, 7, 8], resumed
    final = resumed[-1]
    assert final.get("id") == 7 and text_of_raw(final) == "done", final
    # An event id the session never issued (or no longer keeps) is refused, not silently empty.
    with httpx.Client(timeout=10) as client:
        gone = client.get(gw.url, headers={**get_headers, "last-event-id": "p999-1"})
    assert gone.status_code == 404, gone.text


def text_of_raw(message: dict[str, Any]) -> str:
    return "".join(c.get("text", "") for c in message["result"]["content"])


@pytest.mark.parametrize("server", ["alpha", "gamma"])
async def test_concurrent_elicitations_never_cross_clients(env, server: str) -> None:
    """stdio and legacy SSE carry no link between a backend's question and the call that
    caused it: with two clients' calls in flight, a question must never reach the other client."""
    asked: dict[str, list[str]] = {"A": [], "B": []}

    def answer_as(who: str) -> Any:
        async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
            asked[who].append(params.message)
            await anyio.sleep(0.05)
            return types.ElicitResult(action="accept", content={"answer": who})
        return callback

    async with gw_client(env["gw"], elicitation_callback=answer_as("A")) as a, \
            gw_client(env["gw"], elicitation_callback=answer_as("B")) as b:
        for _ in range(4):
            results: dict[str, Any] = {}

            async def run(who: str, client: Any) -> None:
                results[who] = await invoke(client, server, "ask", {"question": f"question of {who}"})

            async with anyio.create_task_group() as group:
                group.start_soon(run, "A", a)
                group.start_soon(run, "B", b)
            for who, other in (("A", "B"), ("B", "A")):
                assert f"answer: {other}" not in text_of(results[who]), results
    assert all(m == "question of A" for m in asked["A"]), asked
    assert all(m == "question of B" for m in asked["B"]), asked


async def test_a_listed_tool_called_first_thing_starts_its_backend(log_dir: Path) -> None:
    """A client may call a directly listed tool before listing anything: the gateway has not
    started that backend yet, so it discovers it then rather than answering Unknown tool."""
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, surfaced=[("alpha", "echo")])
    gw = harness.start_gateway(harness.write_config(log_dir / "cold-surfaced.yaml", cfg), log_dir)
    try:
        async with gw_client(gw) as c:
            assert text_of(await c.call_tool("alpha__echo", {"text": "cold call"})) == "cold call"
    finally:
        gw.stop()
