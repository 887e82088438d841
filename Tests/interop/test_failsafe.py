"""Issue 17, failsafes with real SDK backends and the official SDK client:

- `failsafe.retry`: a tool the operator lists in `idempotent_tools` is sent again after its
  backend crashed mid-call, and the client gets the second run's answer; the same crash of a
  tool not listed is reported, never repeated (the tool ran once).
- deadlines: a backend without `timeout` gets `server.request_timeout`; `tool_timeouts`
  override it for one tool, longer or shorter.
- `failsafe.health_check`: a backend that stops answering (SIGSTOP: hung, not dead) is
  restarted once its call in flight has timed out; the next call works on a new process.
- `stop_when_idle_for`: an idle stdio backend is stopped and started again by the next call.
- a backend that cannot start shows `failed` with its last stderr lines in `/health`.
"""
from __future__ import annotations

import time
from pathlib import Path

import anyio
import pytest

import harness
from harness import gw_client

pytestmark = pytest.mark.anyio


def backend(name: str, *extra: str, **keys: object) -> dict:
    # 20 s: a call's deadline covers restarting a Python server, slow on a loaded machine.
    entry = harness.stdio_backend(name, "--failsafe-tools", *extra, timeout="20s")
    entry.update(keys)
    return entry


async def warm(c, server: str) -> None:
    """The first call starts the backend; with a short deadline it may end before the start
    does (the start goes on): call until it answers."""
    with anyio.fail_after(60):
        while (await harness.invoke(c, server, "echo", {"text": "up"})).is_error:
            await anyio.sleep(0.2)


async def test_an_idempotent_tool_is_retried_after_a_crash_and_others_are_not(tmp_path: Path) -> None:
    cfg = harness.make_config(
        {"alpha": backend("alpha", idempotent_tools=["crash_*"]), "beta": backend("beta")},
        extra={"failsafe": {"retry": {"max_attempts": 3, "initial_backoff": "10ms"}}})
    with harness.running_gateway(harness.write_config(tmp_path / "retry.yaml", cfg), tmp_path) as gw:
        async with gw_client(gw) as c:
            marker = tmp_path / "alpha-crashed"
            result = await harness.invoke(c, "alpha", "crash_once", {"marker": str(marker)})
            assert not result.is_error, result
            assert harness.text_of(result) == "survived"
            # The first process crashed with the call; the answer came from the second.
            assert marker.exists()
            assert gw.health()["backends"]["alpha"]["restarts"] == 1
            marker = tmp_path / "beta-crashed"
            result = await harness.invoke(c, "beta", "crash_once", {"marker": str(marker)})
            assert result.is_error
            assert "connection closed" in harness.text_of(result)
        assert "retrying after" in gw.log.read_text()


async def test_request_timeout_is_the_default_and_tool_timeouts_override_it(tmp_path: Path) -> None:
    plain = backend("plain")
    del plain["timeout"]
    tuned = backend("tuned", timeout="1s", tool_timeouts={"slow": "4s", "ech*": "500ms"})
    cfg = harness.make_config({"plain": plain, "tuned": tuned}, request_timeout="2s")
    with harness.running_gateway(harness.write_config(tmp_path / "timeouts.yaml", cfg), tmp_path) as gw:
        async with gw_client(gw) as c:
            await warm(c, "plain")
            await warm(c, "tuned")
            started = time.monotonic()
            result = await harness.invoke(c, "plain", "slow", {"seconds": 10})
            assert result.is_error and "timed out after 2 s" in harness.text_of(result), harness.text_of(result)
            assert 1.5 < time.monotonic() - started < 6
            # 4 s for `slow` on a backend whose own timeout is 1 s.
            assert harness.text_of(await harness.invoke(c, "tuned", "slow", {"seconds": 2})) == "slept"
            started = time.monotonic()
            result = await harness.invoke(c, "tuned", "slow", {"seconds": 10})
            assert "timed out after 4 s" in harness.text_of(result), harness.text_of(result)
            assert 3.5 < time.monotonic() - started < 8


async def test_a_hung_backend_is_restarted_by_the_health_check(tmp_path: Path) -> None:
    cfg = harness.make_config(
        {"frozen": backend("frozen", tool_timeouts={"freeze": "1s"})},
        extra={"failsafe": {"health_check": {"interval": "300ms", "timeout": "200ms", "failure_threshold": 2}}})
    with harness.running_gateway(harness.write_config(tmp_path / "health.yaml", cfg), tmp_path) as gw:
        async with gw_client(gw) as c:
            first = int(harness.text_of(await harness.invoke(c, "frozen", "pid", {})))
            result = await harness.invoke(c, "frozen", "freeze", {})
            assert result.is_error and "timed out after 1 s" in harness.text_of(result)
            with anyio.fail_after(15):
                while gw.health()["backends"]["frozen"]["restarts"] < 1:
                    await anyio.sleep(0.1)
            second = int(harness.text_of(await harness.invoke(c, "frozen", "pid", {})))
            assert second != first
            assert harness.wait_dead([first], timeout=10) == []
        assert "did not answer 2 health checks in a row" in gw.log.read_text()


async def test_an_idle_backend_stops_and_the_next_call_starts_it(tmp_path: Path) -> None:
    cfg = harness.make_config({"lazy": backend("lazy", stop_when_idle_for="1s")})
    with harness.running_gateway(harness.write_config(tmp_path / "idle.yaml", cfg), tmp_path) as gw:
        async with gw_client(gw) as c:
            first = int(harness.text_of(await harness.invoke(c, "lazy", "pid", {})))
            with anyio.fail_after(10):
                while gw.health()["backends"]["lazy"]["status"] != "stopped":
                    await anyio.sleep(0.1)
            assert harness.wait_dead([first], timeout=10) == []
            # Its tools stay listed and searchable while it is stopped.
            found = harness.structured(await c.call_tool("gateway_list_tools", {"server": "lazy"}))
            assert any(t["name"] == "pid" for t in found["tools"]), found
            second = int(harness.text_of(await harness.invoke(c, "lazy", "pid", {})))
            assert second != first and gw.health()["backends"]["lazy"]["status"] == "running"


async def test_a_backend_that_cannot_start_shows_its_stderr(tmp_path: Path) -> None:
    cfg = harness.make_config({"broken": backend("broken", "--fail-start", "config error: no API key in BROKEN_KEY")})
    with harness.running_gateway(harness.write_config(tmp_path / "broken.yaml", cfg), tmp_path) as gw:
        async with gw_client(gw) as c:
            result = await harness.invoke(c, "broken", "echo", {"text": "x"})
            assert result.is_error
        entry = gw.health()["backends"]["broken"]
        assert entry["status"] == "failed", entry
        assert entry["stderr"] == ["config error: no API key in BROKEN_KEY"], entry
