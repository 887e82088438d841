"""Issue 17, the circuit breaker (`failsafe.circuit_breaker`) with a real backend and the
official SDK client: a backend that crashes on two calls in a row is taken out of service;
the next call is refused at once with -32005 naming the backend and when it is tried again
(it never reaches the backend); `/health` says degraded and why, `gateway_list_servers` shows
the breaker; after `reset_timeout` one probe goes through, and its success closes the breaker.
A tool's own error result never counts. The breaker reloads with the config.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp.shared.exceptions import MCPError

import harness
from harness import gw_client, structured

pytestmark = pytest.mark.anyio
CIRCUIT_OPEN = -32005


def config(record: Path, breaker: dict | None) -> dict:
    backend = harness.stdio_backend("alpha", env={"INTEROP_CALL_RECORD": str(record)})
    extra = {"failsafe": {"circuit_breaker": breaker}} if breaker else {}
    return harness.make_config({"alpha": backend}, extra=extra)


@pytest.fixture()
def setup(tmp_path: Path) -> Iterator[tuple[harness.Gateway, Path, Path]]:
    record = tmp_path / "calls.txt"
    record.write_text("")
    path = harness.write_config(tmp_path / "breaker.yaml",
                                config(record, {"failure_threshold": 2, "success_threshold": 1, "reset_timeout": "1500ms"}))
    gw = harness.start_gateway(path, tmp_path)
    try:
        yield gw, record, path
    finally:
        gw.stop()


async def test_crashes_open_the_breaker_and_a_probe_closes_it(setup) -> None:
    gw, record, _ = setup
    async with gw_client(gw) as c:
        assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "before"})) == "before"
        # A tool error is an answer: the backend is up.
        for _ in range(3):
            assert (await harness.invoke(c, "alpha", "fail", {"message": "a tool error"})).is_error
        for _ in range(2):
            crashed = await harness.invoke(c, "alpha", "crash", {})
            assert crashed.is_error
        started = time.monotonic()
        with pytest.raises(MCPError) as refused:
            await harness.invoke(c, "alpha", "echo", {"text": "refused"})
        assert time.monotonic() - started < 0.5
        error = refused.value
        assert error.code == CIRCUIT_OPEN, error
        assert "Backend 'alpha' is out of service after 2 failures in a row" in error.message
        assert error.data["server"] == "alpha" and 0 < error.data["retryAfterMs"] <= 1500
        health = gw.health()
        assert health["status"] == "degraded"
        assert health["circuit_breakers"]["alpha"]["state"] == "open"
        assert health["backends"]["alpha"]["circuit"] == "open"
        servers = structured(await c.call_tool("gateway_list_servers", {}))
        assert next(s for s in servers["servers"] if s["name"] == "alpha")["circuit_breaker"] == "open"
        # After reset_timeout one probe goes through; it succeeds and closes the breaker.
        with anyio.fail_after(10):
            while True:
                try:
                    result = await harness.invoke(c, "alpha", "echo", {"text": "probe"})
                    break
                except MCPError as e:
                    assert e.code == CIRCUIT_OPEN
                    await anyio.sleep(0.2)
        assert harness.text_of(result) == "probe"
        assert gw.health()["status"] == "healthy" and "circuit_breakers" not in gw.health()
    assert "refused" not in record.read_text()


async def test_the_breaker_reloads_with_the_config(setup) -> None:
    gw, record, path = setup
    harness.write_config(path, config(record, None))
    async with gw_client(gw) as c:
        with anyio.fail_after(10):
            while "circuit" in gw.health()["backends"].get("alpha", {}):
                await anyio.sleep(0.2)
        # Without the section, crashes never open anything.
        for _ in range(3):
            assert (await harness.invoke(c, "alpha", "crash", {})).is_error
        assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "still called"})) == "still called"
