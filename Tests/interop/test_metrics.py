"""Issue 18, Prometheus metrics: `/metrics` scraped with a real Prometheus text parser
(`prometheus_client.parser`) after known traffic from the official SDK client, and its gate.

One gateway, two stdio SDK backends, three API keys: `ops` (admin), `scraper` (named in
`telemetry.metrics.readers`) and `user` (no admin, `alpha:add` denied). The user's client
initializes, calls echo three times, a tool that answers `isError`, a denied tool, searches twice
and reads a resource; one more call goes through `/mcp/beta` and one from a 2026-07-28 client. The scrape must count exactly that,
by front end, method, server, tool and outcome, and show the live state (backends, sessions,
catalog). Who may scrape: admins and readers (the user gets 403, no key 401), everyone when
`/metrics` is in `auth.public_paths`, the local user when auth is off; `telemetry.metrics: false`
removes the route.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

import harness

pytestmark = pytest.mark.anyio

OPS = "ops-key-5d1c9e7a3b2f"
SCRAPER = "scraper-key-8a2e4c6b1d9f"
USER = "user-key-3f7b1a9d5c2e"
ACCEPT = "application/json, text/event-stream"


def config(tmp: Path, **extra: Any) -> Path:
    backends = {name: harness.stdio_backend(name) for name in ("alpha", "beta")}
    cfg = harness.make_config(backends, extra={
        "auth": {"api_keys": [
            {"name": "ops", "key": OPS, "admin": True},
            {"name": "scraper", "key": SCRAPER, "backends": []},
            {"name": "user", "key": USER, "denied_tools": ["alpha:add"]},
        ]},
        "telemetry": {"metrics": {"readers": ["scraper"]}},
        "failsafe": {"circuit_breaker": {"failure_threshold": 5}},
        **extra,
    })
    return harness.write_config(tmp / "metrics.yaml", cfg)


@pytest.fixture(scope="module")
def gw(log_dir: Path) -> Iterator[harness.Gateway]:
    g = harness.start_gateway(config(log_dir), log_dir)
    yield g
    g.stop()


def scrape(gw: harness.Gateway, key: str | None) -> httpx.Response:
    return httpx.get(f"{gw.base}/metrics", headers={"X-API-Key": key} if key else {}, timeout=20)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the exposition, parsed by prometheus_client, by name and label set."""
    out: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def value(s: dict, name: str, **labels: str) -> float | None:
    return s.get((name, frozenset(labels.items())))


def user_client(gw: harness.Gateway, mode: str = "legacy") -> Any:
    return harness.keyed_client(gw, USER, mode)


async def test_a_scrape_counts_known_traffic(gw: harness.Gateway) -> None:
    async with user_client(gw) as c:
        for i in range(3):
            assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": f"m{i}"})) == f"m{i}"
        assert (await harness.invoke(c, "alpha", "fail", {"message": "no"})).is_error
        assert (await harness.invoke(c, "alpha", "add", {"a": 1, "b": 2})).is_error
        for query in ("echo text back", "add two numbers"):
            assert harness.structured(await c.call_tool("gateway_search_tools", {"query": query}))["matches"]
        info = next(str(r.uri) for r in (await c.list_resources()).resources if "alpha" in str(r.uri) and "info" in str(r.uri))
        assert "alpha" in (await c.read_resource(info)).contents[0].text
        direct = httpx.post(f"{gw.base}/mcp/beta", timeout=20,
                            json={"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                  "params": {"name": "echo", "arguments": {"text": "direct"}}},
                            headers={"X-API-Key": USER, "Accept": ACCEPT})
        assert direct.status_code == 200 and "direct" in direct.text
        async with user_client(gw, mode="2026-07-28") as modern:
            assert harness.text_of(await harness.invoke(modern, "beta", "echo", {"text": "modern"})) == "modern"

        r = scrape(gw, SCRAPER)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
        s = samples(r.text)
        # While the client is connected: its session.
        assert value(s, "mcp_gateway_sessions", front_end="streamable_http") == 1

    calls = "mcp_gateway_backend_calls_total"
    assert value(s, calls, server="alpha", mcp_method_name="tools/call", gen_ai_tool_name="echo", outcome="ok") == 3
    assert value(s, calls, server="alpha", mcp_method_name="tools/call", gen_ai_tool_name="fail", outcome="tool_error") == 1
    assert value(s, calls, server="alpha", mcp_method_name="tools/call", gen_ai_tool_name="add", outcome="denied") == 1
    assert value(s, calls, server="alpha", mcp_method_name="resources/read", gen_ai_tool_name="", outcome="ok") == 1
    assert value(s, calls, server="beta", mcp_method_name="tools/call", gen_ai_tool_name="echo", outcome="ok") == 2
    assert value(s, "mcp_gateway_refused_calls_total", server="alpha", reason="denied") == 1
    # The backend-side latency histogram: one observation per call that reached the backend.
    duration = "mcp_client_operation_duration_seconds_count"
    assert value(s, duration, server="alpha", mcp_method_name="tools/call", gen_ai_tool_name="echo", outcome="ok") == 3
    assert value(s, "mcp_client_operation_duration_seconds_bucket", server="alpha", mcp_method_name="tools/call",
                 gen_ai_tool_name="echo", outcome="ok", le="+Inf") == 3
    assert value(s, "mcp_gateway_backend_calls_in_flight", server="alpha") == 0

    requests = "mcp_gateway_requests_total"
    http = {"front_end": "streamable_http", "mcp_protocol_version": "2025-11-25"}
    # Seven tools/call requests (three echo, fail, the denied add, two searches): a tool's
    # isError and a refusal are results of the meta-tool, not JSON-RPC errors.
    assert value(s, requests, **http, mcp_method_name="tools/call", outcome="ok") == 7
    assert value(s, requests, **http, mcp_method_name="initialize", outcome="ok") == 1
    assert value(s, requests, **http, mcp_method_name="resources/read", outcome="ok") == 1
    assert value(s, "mcp_server_operation_duration_seconds_count", **http, mcp_method_name="tools/call", outcome="ok") == 7
    assert value(s, requests, front_end="direct", mcp_protocol_version="2025-11-25", mcp_method_name="tools/call", outcome="ok") == 1
    modern = {"front_end": "streamable_http", "mcp_protocol_version": "2026-07-28"}
    assert value(s, requests, **modern, mcp_method_name="tools/call", outcome="ok") == 1
    assert value(s, "mcp_gateway_request_bytes_total", front_end="streamable_http") > 0
    assert value(s, "mcp_gateway_response_bytes_total", front_end="direct") > 0
    assert value(s, "mcp_gateway_searches_total", result="hits") == 2
    assert value(s, "mcp_gateway_search_duration_seconds_count") == 2

    # Live state read at the scrape.
    for server in ("alpha", "beta"):
        assert value(s, "mcp_gateway_backend_state", server=server, state="running") == 1
        assert value(s, "mcp_gateway_backend_state", server=server, state="failed") == 0
        assert value(s, "mcp_gateway_backend_up", server=server) == 1
        assert value(s, "mcp_gateway_backend_restarts_total", server=server) == 0
        assert value(s, "mcp_gateway_backend_tools", server=server) > 5
        assert value(s, "mcp_gateway_circuit_state", server=server) == 0
    assert value(s, "mcp_gateway_catalog_tools") == value(s, "mcp_gateway_backend_tools", server="alpha") * 2
    assert value(s, "mcp_gateway_config_reload_errors") == 0
    assert any(name == "mcp_gateway_build_info" for name, _ in s)


def test_only_admins_and_readers_may_scrape(gw: harness.Gateway) -> None:
    assert scrape(gw, OPS).status_code == 200
    assert scrape(gw, SCRAPER).status_code == 200
    # As Prometheus sends it (`authorization: {type: Bearer}` in a scrape config).
    bearer = httpx.get(f"{gw.base}/metrics", headers={"Authorization": f"Bearer {SCRAPER}"}, timeout=20)
    assert bearer.status_code == 200 and "mcp_gateway_uptime_seconds" in bearer.text
    denied = scrape(gw, USER)
    assert denied.status_code == 403 and "telemetry.metrics.readers" in denied.text
    assert "mcp_gateway" not in denied.text
    assert scrape(gw, None).status_code == 401
    assert scrape(gw, "wrong-key").status_code == 401


def test_public_paths_open_metrics_to_everyone(tmp_path: Path) -> None:
    cfg = config(tmp_path, auth={"api_keys": [{"name": "user", "key": USER}], "public_paths": ["/health", "/metrics"]})
    with harness.running_gateway(cfg, tmp_path) as g:
        assert scrape(g, None).status_code == 200
        assert scrape(g, USER).status_code == 200


def test_open_to_the_local_user_without_auth_and_gone_when_off(tmp_path: Path) -> None:
    backends = {"alpha": harness.stdio_backend("alpha")}
    open_cfg = harness.write_config(tmp_path / "open.yaml", harness.make_config(backends))
    with harness.running_gateway(open_cfg, tmp_path) as g:
        r = scrape(g, None)
        assert r.status_code == 200 and "mcp_gateway_uptime_seconds" in r.text
    off = harness.write_config(tmp_path / "off.yaml", harness.make_config(backends, extra={"telemetry": {"metrics": False}}))
    with harness.running_gateway(off, tmp_path) as g:
        assert scrape(g, None).status_code == 404


def test_readers_reload_with_the_file(tmp_path: Path) -> None:
    """`telemetry.metrics.readers` is read per scrape: an edit lets a new reader in and the old
    one out within seconds, without a restart."""
    import time

    path = config(tmp_path)
    with harness.running_gateway(path, tmp_path) as g:
        assert scrape(g, USER).status_code == 403
        harness.write_config(path, harness.make_config(
            {name: harness.stdio_backend(name) for name in ("alpha", "beta")},
            extra={"auth": {"api_keys": [{"name": "scraper", "key": SCRAPER}, {"name": "user", "key": USER}]},
                   "telemetry": {"metrics": {"readers": ["user"]}}}))
        deadline = time.monotonic() + 15
        while scrape(g, USER).status_code != 200:
            assert time.monotonic() < deadline, "the new reader was not let in after the reload"
            time.sleep(0.2)
        assert scrape(g, SCRAPER).status_code == 403
