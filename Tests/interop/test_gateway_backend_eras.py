"""The gateway toward backends of both protocol eras (issue 3, "Toward backends").

Backends: modern (stdio `servers/server.py`, probed: speaks 2026-07-28), pinned (the same server
pinned to the 2025-11-25 handshake), oldstdio (a hand-written handshake-only stdio server that
answers `server/discover` with -32601), oldhttp (`servers/server.py --legacy-only` over
Streamable HTTP: refuses 2026-07-28 requests as a pre-2026 server does), modernhttp (the SDK
server over Streamable HTTP, probed), strict (the handshake-only stdio server pinned to
2026-07-28: must fail to start with a clear error).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types
import pytest

import harness
from harness import gw_client, invoke, text_of

pytestmark = pytest.mark.anyio

LEGACY_SERVER = Path(__file__).parent / "servers" / "legacy_stdio_server.py"


def legacy_stdio(**extra: Any) -> dict[str, Any]:
    return {"command": [sys.executable, str(LEGACY_SERVER), "--tag", harness.RUN_TAG], "timeout": "10s", **extra}


@pytest.fixture(scope="module")
def env(log_dir: Path):
    old_http = modern_http = gw = None
    try:
        old_http = harness.start_http_backend("oldhttp", "streamable-http", log_dir, "--legacy-only")
        modern_http = harness.start_http_backend("modernhttp", "streamable-http", log_dir)
        cfg = harness.make_config({
            "modern": harness.stdio_backend("modern", timeout="20s"),
            "pinned": {**harness.stdio_backend("pinned", timeout="20s"), "protocol_version": "2025-11-25"},
            "oldstdio": legacy_stdio(),
            "oldhttp": harness.http_backend(old_http, "streamable_http", timeout="10s"),
            "modernhttp": harness.http_backend(modern_http, "streamable_http", timeout="10s"),
            "strict": legacy_stdio(protocol_version="2026-07-28"),
        }, surfaced=[("modernhttp", "deploy")])
        cfg["meta_mcp"]["warm_start"] = ["*"]
        gw = harness.start_gateway(harness.write_config(log_dir / "eras.yaml", cfg), log_dir)
        yield {"gw": gw}
    finally:
        if gw:
            gw.stop()
        for b in (old_http, modern_http):
            if b:
                b.stop()


def backend_health(env, name: str) -> dict[str, Any]:
    return env["gw"].health()["backends"][name]


async def test_each_backend_is_spoken_to_in_its_own_era(env) -> None:
    async with gw_client(env["gw"]) as c:
        # A call starts every backend (warm start may still be running).
        for name, tool, args in [("modern", "era", {}), ("pinned", "era", {}), ("modernhttp", "era", {}),
                                 ("oldhttp", "era", {}), ("oldstdio", "hello", {"who": "gw"})]:
            result = await invoke(c, name, tool, args)
            assert not result.is_error, (name, text_of(result))
        # What the backends themselves saw.
        assert text_of(await invoke(c, "modern", "era", {})) == "2026-07-28"
        assert text_of(await invoke(c, "modernhttp", "era", {})) == "2026-07-28"
        assert text_of(await invoke(c, "pinned", "era", {})) == "2025-11-25"
        assert text_of(await invoke(c, "oldhttp", "era", {})) == "2025-11-25"
        # The handshake-only server got plain requests (no 2026-07-28 envelope) after the probe failed.
        assert text_of(await invoke(c, "oldstdio", "hello", {"who": "gw"})) == "hello gw (plain)"
    versions = {name: backend_health(env, name).get("protocol_version")
                for name in ("modern", "pinned", "oldstdio", "oldhttp", "modernhttp")}
    assert versions == {"modern": "2026-07-28", "pinned": "2025-11-25", "oldstdio": "2025-06-18",
                        "oldhttp": "2025-11-25", "modernhttp": "2026-07-28"}, versions


async def test_a_backend_pinned_to_2026_that_cannot_speak_it_fails_clearly(env) -> None:
    async with gw_client(env["gw"]) as c:
        result = await invoke(c, "strict", "hello", {})
    assert result.is_error
    assert "configured for 2026-07-28" in text_of(result), text_of(result)
    health = backend_health(env, "strict")
    assert health["status"] == "failed" and "server/discover" in (health["last_error"] or ""), health


@pytest.mark.parametrize("server", ["modernhttp", "modern"])
async def test_x_mcp_header_arguments_travel_as_mcp_param_headers(env, server: str) -> None:
    """The SDK server checks that Mcp-Param-Region matches the argument (-32020 otherwise)."""
    async with gw_client(env["gw"]) as c:
        plain = await invoke(c, server, "deploy", {"region": "eu-west-1"})
        unicode = await invoke(c, server, "deploy", {"region": "Zürich"})
    assert not plain.is_error, text_of(plain)
    assert not unicode.is_error, text_of(unicode)
    if server == "modernhttp":
        assert text_of(plain) == "deployed to eu-west-1 (header: eu-west-1)"
        # Non-ASCII values go base64-wrapped, as the spec asks; the server decodes them.
        assert text_of(unicode).startswith("deployed to Zürich (header: =?base64?")
    else:
        assert text_of(plain) == "deployed to eu-west-1 (header: none)"  # stdio has no headers


async def answer(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"answer": f"ok: {params.message}"})


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
@pytest.mark.parametrize("server", ["modern", "modernhttp"])
async def test_input_required_from_a_modern_backend_reaches_either_client_era(env, server: str, mode: str) -> None:
    async with gw_client(env["gw"], mode=mode, elicitation_callback=answer) as c:
        result = await invoke(c, server, "ask", {"question": "go?"})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "answer: ok: go?"


async def test_input_required_without_client_capability_is_an_error(env) -> None:
    async with gw_client(env["gw"]) as c:
        result = await invoke(c, "modernhttp", "ask", {"question": "go?"})
    assert result.is_error, text_of(result)
    assert "elicitation" in text_of(result), text_of(result)


async def test_surfaced_tool_mcp_param_headers_are_checked_and_relayed(env) -> None:
    """A directly listed tool keeps its x-mcp-header annotations: the SDK client mirrors the
    argument into Mcp-Param-Region, the gateway checks it and re-emits it to the backend."""
    async with gw_client(env["gw"], mode="2026-07-28") as c:
        listed = {t.name: t for t in (await c.list_tools()).tools}
        schema = listed["modernhttp__deploy"].input_schema
        assert schema["properties"]["region"]["x-mcp-header"] == "Region", schema
        result = await c.call_tool("modernhttp__deploy", {"region": "ap-south-1"})
    assert text_of(result) == "deployed to ap-south-1 (header: ap-south-1)"

    def call(extra_headers: dict[str, str]) -> httpx.Response:
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
            "name": "modernhttp__deploy", "arguments": {"region": "eu"},
            "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                      "io.modelcontextprotocol/clientCapabilities": {}}}}
        headers = {"content-type": "application/json", "accept": harness.ACCEPT_BOTH,
                   "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call",
                   "mcp-name": "modernhttp__deploy", **extra_headers}
        return httpx.post(env["gw"].url, json=body, headers=headers, timeout=10)

    missing = call({})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == -32020, missing.text
    assert "Mcp-Param-Region" in missing.json()["error"]["message"]
    wrong = call({"mcp-param-region": "us"})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == -32020, wrong.text
    right = call({"mcp-param-region": "eu"})
    assert right.status_code == 200, right.text
