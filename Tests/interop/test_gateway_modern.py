"""MCP 2026-07-28 (stateless) toward clients on the same /mcp endpoint: the official SDK in
'auto' and '2026-07-28' modes, the era's header and envelope checks, cache hints, and
subscriptions/listen. The backends (stdio and Streamable HTTP SDK servers) are probed, so they speak
2026-07-28 too; test_gateway_backend_eras.py covers backends of the handshake era."""
from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import harness
from harness import PNG_1X1_B64, gw_client, invoke, structured, text_of

pytestmark = pytest.mark.anyio
MODERN = "2026-07-28"


@contextlib.contextmanager
def gateway_with_beta(log_dir: Path, name: str, timeout: str = "5s", request_timeout: str = "30s",
                      **backends: dict[str, Any]):
    """A gateway in front of `beta` (a Streamable HTTP SDK server) and the given other backends."""
    beta = gateway = None
    try:
        beta = harness.start_http_backend("beta", "streamable-http", log_dir)
        cfg = harness.make_config({"beta": harness.http_backend(beta, "streamable_http", timeout=timeout), **backends},
                                  request_timeout=request_timeout)
        gateway = harness.start_gateway(harness.write_config(log_dir / f"{name}.yaml", cfg), log_dir)
        yield gateway
    finally:
        if gateway:
            gateway.stop()
        if beta:
            beta.stop()


@pytest.fixture(scope="module")
def gw(log_dir: Path):
    with gateway_with_beta(log_dir, "modern", alpha=harness.stdio_backend("alpha"),
                           grower=harness.stdio_backend("grower")) as gateway:
        yield gateway


@pytest.mark.parametrize("mode", ["auto", MODERN])
async def test_sdk_adopts_the_stateless_era(gw, mode: str) -> None:
    async with gw_client(gw, mode=mode) as c:
        assert c.protocol_version == MODERN
        tools = await c.list_tools()
        assert {t.name for t in tools.tools} >= harness.META_TOOLS
        found = structured(await c.call_tool("gateway_search_tools", {"query": "echo text back"}))
        assert found["matches"][0]["tool"] == "echo"
        assert text_of(await invoke(c, "alpha", "echo", {"text": "modern"})) == "modern"


async def test_relay_is_faithful_in_the_stateless_era(gw) -> None:
    async with gw_client(gw, mode=MODERN) as c:
        image = await invoke(c, "beta", "image")
        assert image.content[0].type == "image" and image.content[0].data == PNG_1X1_B64
        added = await invoke(c, "alpha", "add", {"a": 2, "b": 3})
        assert added.structured_content == {"sum": 5}
        failed = await invoke(c, "alpha", "fail", {"message": "nope"})
        assert failed.is_error and text_of(failed) == "nope"


async def test_progress_in_the_stateless_era(gw) -> None:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with gw_client(gw, mode=MODERN) as c:
        result = await invoke(c, "alpha", "progress", {"steps": 3}, progress_callback=on_progress)
    assert text_of(result) == "done"
    assert seen == [1, 2, 3]


async def test_listen_delivers_tools_list_changed(gw) -> None:
    async with gw_client(gw, mode=MODERN) as c:
        await c.call_tool("gateway_list_servers", {})
        async with c.listen(tools_list_changed=True) as sub:
            assert sub.honored.tools_list_changed
            await invoke(c, "grower", "grow", {"name": "modern_marmot"})
            with anyio.fail_after(10):
                async for _event in sub:
                    break
        found = structured(await c.call_tool("gateway_search_tools", {"query": "modern marmot"}))
        assert found["matches"][0]["tool"] == "modern_marmot"


def envelope(method: str, params: dict[str, Any] | None = None, rid: int = 1) -> dict[str, Any]:
    p = dict(params or {})
    p["_meta"] = {"io.modelcontextprotocol/protocolVersion": MODERN,
                  "io.modelcontextprotocol/clientCapabilities": {},
                  "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"}}
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": p}


def headers(method: str, name: str | None = None, version: str = MODERN) -> dict[str, str]:
    h = {"content-type": "application/json", "accept": harness.ACCEPT_BOTH,
         "mcp-protocol-version": version, "mcp-method": method}
    if name is not None:
        h["mcp-name"] = name
    return h


def test_discover_and_cache_hints(gw) -> None:
    r = httpx.post(gw.url, json=envelope("server/discover"), headers=headers("server/discover"), timeout=10)
    assert r.status_code == 200 and "mcp-session-id" not in r.headers
    result = r.json()["result"]
    assert MODERN in result["supportedVersions"] and "2025-11-25" in result["supportedVersions"]
    assert result["resultType"] == "complete"
    assert result["ttlMs"] >= 0 and result["cacheScope"] in ("public", "private")
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "mcp-gateway"
    listed = httpx.post(gw.url, json=envelope("tools/list"), headers=headers("tools/list"), timeout=10).json()["result"]
    assert listed["resultType"] == "complete" and "ttlMs" in listed and "cacheScope" in listed


def test_envelope_and_header_errors(gw) -> None:
    def post(body: Any, h: dict[str, str]) -> httpx.Response:
        return httpx.post(gw.url, json=body, headers=h, timeout=10)

    bare = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    r = post(bare, headers("tools/list"))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32602
    r = post(envelope("tools/list"), headers("tools/call"))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32020
    call = envelope("tools/call", {"name": "gateway_list_servers", "arguments": {}})
    r = post(call, headers("tools/call", name="gateway_invoke"))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32020
    r = post(call, headers("tools/call", name="gateway_list_servers"))
    assert r.status_code == 200 and r.json()["result"]["resultType"] == "complete"
    r = post(envelope("tools/list"), headers("tools/list", version="2099-01-01"))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32022
    assert "2025-11-25" in r.json()["error"]["data"]["supported"]
    r = post(envelope("ping"), headers("ping"))
    assert r.status_code == 404 and r.json()["error"]["code"] == -32601
    g = httpx.get(gw.url, headers={"accept": "text/event-stream", "mcp-protocol-version": MODERN}, timeout=10)
    assert g.status_code == 405 and g.headers.get("allow") == "POST"


def test_legacy_clients_are_unaffected(gw) -> None:
    with harness.RawSession(gw.url, version="2025-06-18") as s:
        s.initialize()
        _, _, final = s.request("tools/list")
        assert "resultType" not in final["result"]


async def test_stateless_era_over_stdio(log_dir: Path) -> None:
    from mcp import Client

    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    path = harness.write_config(log_dir / "modern-stdio.yaml", cfg)
    for mode in ("auto", MODERN):
        async with Client(harness.gateway_stdio_params(path), mode=mode) as c:
            assert c.protocol_version == MODERN
            assert text_of(await invoke(c, "alpha", "echo", {"text": f"stdio {mode}"})) == f"stdio {mode}"
    async with Client(harness.gateway_stdio_params(path), mode="legacy") as c:
        assert c.protocol_version != MODERN
        assert text_of(await invoke(c, "alpha", "echo", {"text": "legacy"})) == "legacy"


async def answer_yes(context: Any, params: Any) -> Any:
    import mcp_types as types

    return types.ElicitResult(action="accept", content={"answer": f"yes to {params.message}"})


@pytest.mark.parametrize("server", ["alpha", "beta"])
async def test_elicitation_becomes_a_multi_round_trip(gw, server: str) -> None:
    """A session-era backend's elicitation reaches a 2026-07-28 client as input_required; the
    SDK answers and retries, and the backend's call resumes."""
    async with gw_client(gw, mode=MODERN, elicitation_callback=answer_yes) as c:
        result = await invoke(c, server, "ask", {"question": "go?"})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "answer: yes to go?"


def _first_round(gw, arguments: dict[str, Any]) -> dict[str, Any]:
    body = envelope("tools/call", {"name": "gateway_invoke", "arguments": arguments})
    body["params"]["_meta"]["io.modelcontextprotocol/clientCapabilities"] = {"elicitation": {}}
    r = httpx.post(gw.url, json=body, headers=headers("tools/call", name="gateway_invoke"), timeout=20)
    assert r.status_code == 200, r.text
    result = harness.final_response(harness.response_messages(r), 1)["result"]
    assert result["resultType"] == "input_required", result
    return result


def _retry(gw, arguments: dict[str, Any], state: str, responses: dict[str, Any]) -> dict[str, Any]:
    body = envelope("tools/call", {"name": "gateway_invoke", "arguments": arguments,
                                   "requestState": state, "inputResponses": responses}, rid=2)
    body["params"]["_meta"]["io.modelcontextprotocol/clientCapabilities"] = {"elicitation": {}}
    r = httpx.post(gw.url, json=body, headers=headers("tools/call", name="gateway_invoke"), timeout=20)
    return harness.final_response(harness.response_messages(r), 2)


def test_request_state_is_sealed_and_bound(gw) -> None:
    args = {"server": "alpha", "tool": "ask", "arguments": {"question": "raw?"}}
    first = _first_round(gw, args)
    (key, request), = first["inputRequests"].items()
    assert request["method"] == "elicitation/create"
    answer = {key: {"action": "accept", "content": {"answer": "raw yes"}}}
    state = first["requestState"]
    tampered = state[:-4] + ("AAAA" if not state.endswith("AAAA") else "BBBB")
    assert _retry(gw, args, tampered, answer)["error"]["code"] == -32602
    other_args = {**args, "arguments": {"question": "different"}}
    assert _retry(gw, other_args, state, answer)["error"]["code"] == -32602
    done = _retry(gw, args, state, answer)
    assert done["result"]["content"][0]["text"] == "answer: raw yes", done
    assert done["result"]["resultType"] == "complete"
    # Single use: the call is no longer waiting.
    assert _retry(gw, args, state, answer)["error"]["code"] == -32602


def test_undeclared_capability_is_not_asked(gw) -> None:
    body = envelope("tools/call", {"name": "gateway_invoke",
                                   "arguments": {"server": "alpha", "tool": "ask", "arguments": {"question": "q"}}})
    r = httpx.post(gw.url, json=body, headers=headers("tools/call", name="gateway_invoke"), timeout=20)
    result = harness.final_response(harness.response_messages(r), 1)["result"]
    assert result["resultType"] == "complete"
    assert "answer:" not in json_text(result)


def json_text(result: dict[str, Any]) -> str:
    return " ".join(c.get("text", "") for c in result.get("content", []))


@pytest.fixture(scope="module")
def patient_gw(log_dir: Path):
    """Backends with a long timeout: a cancellation seen by the backend can only come from the
    client closing its connection, never from the gateway giving up on the call."""
    with gateway_with_beta(log_dir, "modern-patient", timeout="120s", request_timeout="120s",
                           alpha=harness.stdio_backend("alpha", timeout="120s")) as gateway:
        yield gateway


@pytest.mark.parametrize("server", ["alpha", "beta"])
def test_closing_a_plain_json_call_cancels_the_backend(patient_gw, server: str, tmp_path: Path) -> None:
    """A call with no progress token from a client that answers no questions is answered as
    plain JSON (nothing can stream before the reply); closing its connection still cancels it."""
    gw = patient_gw
    marker = tmp_path / f"{server}.cancelled"
    body = envelope("tools/call", {"name": "gateway_invoke", "arguments": {
        "server": server, "tool": "wait_cancel", "arguments": {"seconds": 60, "marker": str(marker)}}})
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(gw.url, json=body, headers=headers("tools/call", name="gateway_invoke"), timeout=1.5)
    waited = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < waited:
        time.sleep(0.1)
    assert marker.exists(), "closing the connection did not cancel the backend call"
    assert marker.read_text() == "cancelled"
    # The handler's task is no longer cancellable by that close: later calls are unaffected.
    with httpx.Client(timeout=10) as client:
        for i in range(3):
            echo = envelope("tools/call", {"name": "gateway_invoke", "arguments": {
                "server": server, "tool": "echo", "arguments": {"text": f"after {i}"}}}, rid=i + 2)
            r = client.post(gw.url, json=echo, headers=headers("tools/call", name="gateway_invoke"))
            assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
            assert json_text(r.json()["result"]) == f"after {i}"
