"""Cross-client isolation (issue 13, findings 4 and 7): one client must not cancel, see or
silence another client's work through a backend they share.

Finding 4 (probe p05): `/mcp/{backend}` relayed client notifications raw; backend request ids
are the gateway's sequential ids, so any client could cancel another's call by guessing. Now a
cancellation names the client's own request id, within its own session of that endpoint.

Finding 7 (probe p14): backend log messages reached every client and any client's
`logging/setLevel` set every backend. Now a log goes to the clients of the calls in flight on
that backend, filtered by each client's own level.

Backend: alpha (stdio, servers/server.py: slow, wait_cancel, log_echo).
"""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import harness
from harness import ACCEPT_BOTH, RawSession

JSON_HEADERS = {"Accept": ACCEPT_BOTH, "Content-Type": "application/json"}
MODERN = "2026-07-28"


@pytest.fixture(scope="module")
def gw(log_dir: Path):
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha", timeout="30s")})
    gateway = harness.start_gateway(harness.write_config(log_dir / "routing.yaml", cfg), log_dir)
    try:
        yield gateway
    finally:
        gateway.stop()


def invoke_params(tool: str, arguments: dict[str, Any], **meta: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"name": "gateway_invoke", "arguments": {"server": "alpha", "tool": tool, "arguments": arguments}}
    if meta:
        params["_meta"] = meta
    return params


def text_of_wire(result: dict[str, Any]) -> str:
    return "\n".join(c["text"] for c in result.get("content", []) if c.get("type") == "text")


def direct_session(gw: harness.Gateway) -> str:
    """initialize on /mcp/alpha; returns the endpoint's Mcp-Session-Id."""
    r = httpx.post(f"{gw.base}/mcp/alpha", json=harness.initialize_body(), headers=JSON_HEADERS, timeout=30)
    assert r.status_code == 200, r.text[:500]
    sid = r.headers.get("mcp-session-id")
    assert sid, f"initialize on /mcp/alpha gave no session: {dict(r.headers)}"
    return sid


def cancel(gw: harness.Gateway, request_id: Any, session: str | None = None) -> None:
    headers = dict(JSON_HEADERS)
    if session:
        headers["Mcp-Session-Id"] = session
    body = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": request_id, "reason": "A says so"}}
    r = httpx.post(f"{gw.base}/mcp/alpha", json=body, headers=headers, timeout=10)
    assert r.status_code == 202, r.text[:300]


# ------------------------------------------------------------------------------------------
# Finding 4: /mcp/{backend} cancellations
# ------------------------------------------------------------------------------------------


def test_cancellation_floods_on_the_direct_endpoint_do_not_stop_another_clients_call(gw) -> None:
    def flood_during_slow_call(b: RawSession, session: str | None) -> dict[str, Any]:
        with ThreadPoolExecutor(1) as pool:
            call = pool.submit(b.request, "tools/call", invoke_params("slow", {"seconds": 3}))
            time.sleep(0.7)
            for i in range(1, 81):   # every id B's call could have, the gateway's and B's own
                cancel(gw, i, session)
            _, _, resp = call.result(timeout=20)
        return resp

    with RawSession(gw.url) as b:
        b.initialize()
        # No session: the cancellations name nobody's requests (probe p05 exactly).
        anonymous = flood_during_slow_call(b, None)
        assert "result" in anonymous and text_of_wire(anonymous["result"]) == "slept", anonymous
        # A's own session: they name only A's requests, and it has none.
        own = flood_during_slow_call(b, direct_session(gw))
        assert "result" in own and text_of_wire(own["result"]) == "slept", own


def test_a_direct_client_cancels_its_own_call_and_only_it_can(gw, tmp_path: Path) -> None:
    marker = tmp_path / "cancelled-direct"
    a, c = direct_session(gw), direct_session(gw)
    body = {"jsonrpc": "2.0", "id": "mine", "method": "tools/call",
            "params": {"name": "wait_cancel", "arguments": {"seconds": 20, "marker": str(marker)}}}
    with ThreadPoolExecutor(1) as pool:
        call = pool.submit(httpx.post, f"{gw.base}/mcp/alpha", json=body,
                           headers={**JSON_HEADERS, "Mcp-Session-Id": a}, timeout=30)
        time.sleep(0.7)
        cancel(gw, "mine", c)     # another session names the same id
        cancel(gw, "mine")        # and so does a caller without a session
        time.sleep(0.7)
        assert not call.done() and not marker.exists(), "another client's cancellation stopped A's call"
        started = time.monotonic()
        cancel(gw, "mine", a)
        r = call.result(timeout=10)
    assert time.monotonic() - started < 5
    assert r.status_code == 202, r.text[:300]   # a cancelled request gets no response
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not marker.exists():
        time.sleep(0.05)
    assert marker.exists() and marker.read_text() == "cancelled"


def test_direct_endpoint_sessions_end_with_delete_and_unknown_ones_are_refused(gw) -> None:
    sid = direct_session(gw)
    headers = {**JSON_HEADERS, "Mcp-Session-Id": sid}
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    assert httpx.post(f"{gw.base}/mcp/alpha", json=ping, headers=headers, timeout=10).status_code == 200
    assert httpx.delete(f"{gw.base}/mcp/alpha", headers=headers, timeout=10).status_code == 204
    gone = httpx.post(f"{gw.base}/mcp/alpha", json=ping, headers=headers, timeout=10)
    assert gone.status_code == 404, gone.text[:300]
    assert httpx.get(f"{gw.base}/mcp/alpha", headers={"Accept": "text/event-stream"}, timeout=10).status_code == 405


# ------------------------------------------------------------------------------------------
# Finding 7: backend log messages and log levels
# ------------------------------------------------------------------------------------------


class GetStream:
    """A session's GET event stream, read by a thread into `text`."""

    def __init__(self, session: RawSession) -> None:
        self.url = session.url
        self.text = ""
        self.client = httpx.Client(timeout=httpx.Timeout(30, read=None))
        self.headers = session.headers(Accept="text/event-stream")
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()
        assert self.opened.wait(10), "GET stream did not open"

    def read(self) -> None:
        try:
            with self.client.stream("GET", self.url, headers=self.headers) as r:
                assert r.status_code == 200
                self.opened.set()
                for chunk in r.iter_text():
                    self.text += chunk
        except (httpx.HTTPError, RuntimeError):
            pass

    def close(self) -> None:
        self.client.close()


def wait_for(predicate: Any, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_backend_logs_reach_only_the_calling_client_at_its_own_level(gw) -> None:
    with RawSession(gw.url) as a, RawSession(gw.url) as b:
        a.initialize()
        b.initialize()
        stream = GetStream(a)
        try:
            a.request("logging/setLevel", {"level": "warning"})
            b.request("logging/setLevel", {"level": "debug"})   # must not change A's filtering
            # B's call streams (it has a progress token): its log arrives on its own answer.
            _, msgs, resp = b.request("tools/call", invoke_params("log_echo", {"text": "B-PRIVATE: patient 42"},
                                                                  progressToken="b-1"))
            assert "result" in resp, resp
            logs = [m["params"] for m in msgs if m.get("method") == "notifications/message"]
            assert any("B-PRIVATE" in str(p.get("data")) and p.get("logger") == "alpha" for p in logs), msgs
            # A's own calls answer plain JSON: their logs come on A's GET stream, at A's level.
            a.request("tools/call", invoke_params("log_echo", {"text": "A-HIDDEN"}))
            a.request("logging/setLevel", {"level": "info"})
            a.request("tools/call", invoke_params("log_echo", {"text": "A-VISIBLE"}))
            assert wait_for(lambda: "A-VISIBLE" in stream.text), stream.text[-2000:]
        finally:
            stream.close()
    assert "B-PRIVATE" not in stream.text
    assert "A-HIDDEN" not in stream.text


def test_an_unknown_log_level_is_refused(gw) -> None:
    with RawSession(gw.url) as a:
        a.initialize()
        _, _, resp = a.request("logging/setLevel", {"level": "loud"})
    assert resp.get("error", {}).get("code") == -32602, resp


def log_texts(messages: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(m["params"]) for m in messages if m.get("method") == "notifications/message"]


@pytest.mark.anyio
async def test_a_websocket_client_gets_its_own_logs_and_never_another_clients(gw) -> None:
    from test_gateway_ws_sse import ws_session

    async with ws_session(gw) as a:
        await a.initialize()
        await a.call("logging/setLevel", {"level": "debug"})

        def b_calls() -> list[dict[str, Any]]:
            with RawSession(gw.url) as b:
                b.initialize()
                _, msgs, _ = b.request("tools/call", invoke_params("log_echo", {"text": "B-PRIVATE over ws"},
                                                                   progressToken="b-ws"))
                return msgs

        b_messages = await anyio.to_thread.run_sync(b_calls)
        assert any("B-PRIVATE over ws" in t for t in log_texts(b_messages)), b_messages
        reply = await a.call("tools/call", invoke_params("log_echo", {"text": "A-OWN over ws"}))
        assert "result" in reply, reply
        # A's own log is sent before its reply; B's would have come earlier still.
        logs = log_texts(a.skipped)
    assert any("A-OWN over ws" in t for t in logs), a.skipped
    assert not any("B-PRIVATE" in t for t in logs), logs


def modern_log_echo(gw: harness.Gateway, text: str, level: str | None) -> list[dict[str, Any]]:
    """A 2026-07-28 tools/call of alpha's log_echo, with `level` in its `_meta` (or none)."""
    meta: dict[str, Any] = {"io.modelcontextprotocol/protocolVersion": MODERN,
                            "io.modelcontextprotocol/clientCapabilities": {},
                            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"}}
    if level is not None:
        meta["io.modelcontextprotocol/logLevel"] = level
    params = {**invoke_params("log_echo", {"text": text}), "_meta": meta}
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}
    headers = {**JSON_HEADERS, "MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": "gateway_invoke"}
    r = httpx.post(gw.url, json=body, headers=headers, timeout=30)
    assert r.status_code == 200, r.text[:500]
    msgs = harness.response_messages(r)
    assert "result" in harness.final_response(msgs, 1), msgs
    return msgs


def test_a_2026_request_gets_logs_only_when_its_meta_asks_and_at_that_level(gw) -> None:
    assert any("M-INFO" in t for t in log_texts(modern_log_echo(gw, "M-INFO", "info")))
    assert not log_texts(modern_log_echo(gw, "M-FILTERED", "warning"))
    assert not log_texts(modern_log_echo(gw, "M-UNASKED", None))


@pytest.mark.anyio
async def test_an_sdk_client_uses_the_direct_endpoints_session(gw) -> None:
    from mcp import Client

    async with Client(f"{gw.base}/mcp/alpha", mode="legacy", read_timeout_seconds=30) as c:
        tools = await c.list_tools()
        assert {t.name for t in tools.tools} == harness.BACKEND_TOOLS
        result = await c.call_tool("echo", {"text": "direct"})
        assert harness.text_of(result) == "direct"


@pytest.mark.anyio
async def test_a_legacy_sse_client_gets_its_own_logs_and_never_another_clients(gw) -> None:
    from test_gateway_ws_sse import sse_client_for

    received: list[str] = []

    async def on_log(params: Any) -> None:
        received.append(json.dumps(params.data))

    async with sse_client_for(gw, logging_callback=on_log) as a:
        await a.set_logging_level("info")

        def b_calls() -> None:
            with RawSession(gw.url) as b:
                b.initialize()
                b.request("tools/call", invoke_params("log_echo", {"text": "B-PRIVATE over sse"}))

        await anyio.to_thread.run_sync(b_calls)
        await a.call_tool("gateway_invoke", {"server": "alpha", "tool": "log_echo", "arguments": {"text": "A-OWN over sse"}})
        with anyio.fail_after(5):
            while not any("A-OWN over sse" in r for r in received):
                await anyio.sleep(0.05)
    assert not any("B-PRIVATE" in r for r in received), received
