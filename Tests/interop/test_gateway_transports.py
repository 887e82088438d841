"""Upstream transport selection: `transport: auto` (the default) must detect Streamable HTTP vs
legacy SSE by itself; explicit `streamable_http` / `sse` are covered by test_gateway_http.py."""

from __future__ import annotations

from pathlib import Path

import pytest

import harness
from harness import gw_client, invoke, structured, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def gw(log_dir: Path):
    started = []
    gateway = None
    try:
        sh = harness.start_http_backend("delta", "streamable-http", log_dir)
        started.append(sh)
        sse = harness.start_http_backend("epsilon", "sse", log_dir)
        started.append(sse)
        sh_json = harness.start_http_backend("zeta", "streamable-http", log_dir, "--json-response")
        started.append(sh_json)
        sh_stateless = harness.start_http_backend("eta", "streamable-http", log_dir, "--stateless")
        started.append(sh_stateless)
        cfg = harness.make_config({
            "delta": harness.http_backend(sh, None),          # transport omitted → auto
            "epsilon": harness.http_backend(sse, "auto"),     # auto against a legacy SSE endpoint
            "zeta": harness.http_backend(sh_json, "streamable_http"),      # JSON answers, no SSE
            "eta": harness.http_backend(sh_stateless, "streamable_http"),  # no Mcp-Session-Id at all
        })
        gateway = harness.start_gateway(harness.write_config(log_dir / "transports.yaml", cfg), log_dir)
        yield gateway
    finally:
        if gateway:
            gateway.stop()
        for b in started:
            b.stop()


@pytest.mark.parametrize("server", ["delta", "epsilon", "zeta", "eta"])
async def test_backend_reachable(gw, server: str) -> None:
    async with gw_client(gw) as c:
        assert text_of(await invoke(c, server, "echo", {"text": server})) == server
        r = await invoke(c, server, "add", {"a": 1, "b": 2})
        assert r.structured_content == {"sum": 3}
        data = structured(await c.call_tool("gateway_list_tools", {"server": server}))
        assert {t["name"] for t in data["tools"]} == harness.BACKEND_TOOLS


async def test_auto_detected_transports_reported(gw) -> None:
    async with gw_client(gw) as c:
        for server in ("delta", "epsilon"):
            await invoke(c, server, "echo", {"text": "x"})
        data = structured(await c.call_tool("gateway_list_servers", {}))
    servers = {s["name"]: s for s in data["servers"]}
    assert "sse" in servers["epsilon"]["transport"].lower(), servers["epsilon"]
    assert "sse" not in servers["delta"]["transport"].lower(), servers["delta"]


async def test_progress_through_json_mode_backend(gw) -> None:
    """A JSON-mode backend cannot stream progress; the call must still complete normally."""
    async with gw_client(gw) as c:
        r = await invoke(c, "zeta", "progress", {"steps": 2}, progress_callback=_ignore)
    assert text_of(r) == "done"


async def _ignore(progress: float, total: float | None, message: str | None) -> None:
    pass
