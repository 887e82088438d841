"""Issue 17, hot reload of backends: an edit of gateway.yaml adds, removes and replaces backends
without a restart, with an SDK client connected all along.

- an added backend's tools appear (the client is told: `notifications/tools/list_changed`) and
  it can be called;
- a changed backend is replaced: a call in flight on the old process finishes, the next call
  runs on a new process, and the old one is stopped once its call is over;
- a removed backend's tools disappear, a call to it is refused as an unknown server, and its
  process is stopped;
- an untouched backend keeps its process; none of this is logged as waiting for a restart.
"""
from __future__ import annotations

import time
from pathlib import Path

import anyio
import pytest

import harness
from harness import gw_client

pytestmark = pytest.mark.anyio


def _config(backends: dict[str, dict]) -> dict:
    return harness.make_config(backends, extra={"security": {"pinning": "off"}})


async def _servers(c) -> set[str]:
    listed = harness.structured(await c.call_tool("gateway_list_servers", {}))
    return {s["name"] for s in listed["servers"]}


async def _eventually(what: str, check, timeout: float = 15) -> None:
    with anyio.fail_after(timeout):
        while not await check():
            await anyio.sleep(0.2)


async def test_backends_are_added_replaced_and_removed_without_a_restart(tmp_path: Path) -> None:
    path = harness.write_config(tmp_path / "backends.yaml", _config({
        "alpha": harness.stdio_backend("alpha"), "beta": harness.stdio_backend("beta")}))
    gw = harness.start_gateway(path, tmp_path)
    try:
        async with gw_client(gw) as c:
            alpha_pid = int(harness.text_of(await harness.invoke(c, "alpha", "pid", {})))
            beta_pid = int(harness.text_of(await harness.invoke(c, "beta", "pid", {})))
            assert await _servers(c) == {"alpha", "beta"}

            # Add gamma; replace beta (a new description is a new backend) while a call runs on it.
            slow = anyio.Event()
            result: dict = {}

            async def slow_call() -> None:
                result["slow"] = await harness.invoke(c, "beta", "slow", {"seconds": 2})
                slow.set()

            async with anyio.create_task_group() as tg:
                tg.start_soon(slow_call)
                await anyio.sleep(0.5)
                harness.write_config(path, _config({
                    "alpha": harness.stdio_backend("alpha"),
                    "beta": harness.stdio_backend("beta", description="beta, replaced"),
                    "gamma": harness.stdio_backend("gamma")}))

                async def gamma_listed() -> bool:
                    return "gamma" in await _servers(c)
                await _eventually("gamma listed", gamma_listed)
                await slow.wait()
            # The call that was running on the old beta finished there.
            assert harness.text_of(result["slow"]) == "slept", result
            assert harness.text_of(await harness.invoke(c, "gamma", "echo", {"text": "new"})) == "new"
            new_beta = int(harness.text_of(await harness.invoke(c, "beta", "pid", {})))
            assert new_beta != beta_pid
            assert harness.wait_dead([beta_pid], timeout=10) == []
            assert int(harness.text_of(await harness.invoke(c, "alpha", "pid", {}))) == alpha_pid
            listed = harness.structured(await c.call_tool("gateway_list_tools", {"server": "gamma"}))
            assert any(t["name"] == "echo" for t in listed["tools"]), listed

            # Remove gamma.
            gamma_pid = int(harness.text_of(await harness.invoke(c, "gamma", "pid", {})))
            harness.write_config(path, _config({
                "alpha": harness.stdio_backend("alpha"),
                "beta": harness.stdio_backend("beta", description="beta, replaced")}))

            async def gamma_gone() -> bool:
                return "gamma" not in await _servers(c)
            await _eventually("gamma removed", gamma_gone)
            refused = await harness.invoke(c, "gamma", "echo", {"text": "gone"})
            assert refused.is_error and "gamma" in harness.text_of(refused)
            assert harness.wait_dead([gamma_pid], timeout=10) == []
            assert int(harness.text_of(await harness.invoke(c, "alpha", "pid", {}))) == alpha_pid
        log = gw.log.read_text()
        assert "backends reloaded: added gamma; removed none; replaced beta" in log
        assert "backends reloaded: added none; removed gamma; replaced none" in log
        assert "take effect at the next restart" not in log
    finally:
        gw.stop()


async def test_meta_tools_and_surfaced_tools_reload_and_clients_are_told(tmp_path: Path) -> None:
    """`meta_mcp.surfaced_tools` and `meta_mcp.enabled` switch for the next `tools/list`, and the
    connected client gets `notifications/tools/list_changed` each time."""
    import mcp_types as types

    def config(surfaced: list[tuple[str, str]], enabled: bool = True) -> dict:
        cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, surfaced=surfaced,
                                  extra={"security": {"pinning": "off"}})
        cfg["meta_mcp"]["enabled"] = enabled
        return cfg

    path = harness.write_config(tmp_path / "meta.yaml", config([]))
    gw = harness.start_gateway(path, tmp_path)
    notices = {"n": 0}

    async def on_message(message) -> None:
        if isinstance(getattr(message, "root", message), types.ToolListChangedNotification):
            notices["n"] += 1

    try:
        async with gw_client(gw, message_handler=on_message) as c:
            assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "up"})) == "up"
            names = {t.name for t in (await c.list_tools()).tools}
            assert names == harness.META_TOOLS
            before = notices["n"]
            harness.write_config(path, config([("alpha", "echo")]))

            async def surfaced() -> bool:
                return "alpha__echo" in {t.name for t in (await c.list_tools()).tools}
            await _eventually("alpha__echo surfaced", surfaced)
            assert harness.text_of(await c.call_tool("alpha__echo", {"text": "direct"})) == "direct"
            with anyio.fail_after(10):
                while notices["n"] == before:
                    await anyio.sleep(0.1)

            before = notices["n"]
            harness.write_config(path, config([], enabled=False))

            async def meta_off() -> bool:
                listed = {t.name for t in (await c.list_tools()).tools}
                return not (listed & harness.META_TOOLS) and "alpha__add" in listed
            await _eventually("meta-tools off", meta_off)
            with anyio.fail_after(10):
                while notices["n"] == before:
                    await anyio.sleep(0.1)
        assert "take effect at the next restart" not in gw.log.read_text()
    finally:
        gw.stop()


def test_a_refused_edit_shows_in_health_with_its_line(tmp_path: Path) -> None:
    """An edit with a mistake changes nothing; /health says degraded and names each problem with
    its file and line until a good edit is applied."""
    path = harness.write_config(tmp_path / "broken.yaml", _config({"alpha": harness.stdio_backend("alpha")}))
    gw = harness.start_gateway(path, tmp_path)
    try:
        good = path.read_text()
        path.write_text(good + "\nfailsafe:\n  retry: {max_atempts: 3}\n")
        deadline = time.monotonic() + 15
        while not gw.health().get("config_reload", {}).get("errors"):
            assert time.monotonic() < deadline, gw.health()
            time.sleep(0.2)
        health = gw.health()
        assert health["status"] == "degraded"
        [problem] = health["config_reload"]["errors"]
        line = len(good.splitlines()) + 3
        assert f"broken.yaml:{line}:" in problem and "max_atempts" in problem and "max_attempts" in problem, problem
        path.write_text(good + "\nfailsafe:\n  retry: {max_attempts: 3}\n")
        while gw.health().get("config_reload", {}).get("errors"):
            assert time.monotonic() < deadline + 15, gw.health()
            time.sleep(0.2)
        assert gw.health()["status"] == "healthy"
    finally:
        gw.stop()
