"""Supervision: a crashing backend is restarted, a hanging backend blocks nobody else,
a backend that never answers tools/list does not stall listing/searching, and SIGTERM
shuts the gateway down without leaving backend processes behind.
"""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp.shared.exceptions import MCPError

import harness
from harness import gw_client, invoke, structured, text_of

pytestmark = pytest.mark.anyio

BACKEND_TIMEOUT_S = 5


@pytest.fixture(scope="module")
def gw(log_dir: Path):
    bravo = None
    gateway = None
    try:
        bravo = harness.start_http_backend("bravo", "streamable-http", log_dir)
        cfg = harness.make_config({
            "alpha": harness.stdio_backend("alpha", timeout=f"{BACKEND_TIMEOUT_S}s"),
            "charlie": harness.stdio_backend("charlie", timeout=f"{BACKEND_TIMEOUT_S}s"),
            "bravo": harness.http_backend(bravo, "streamable_http", timeout=f"{BACKEND_TIMEOUT_S}s"),
        })
        gateway = harness.start_gateway(harness.write_config(log_dir / "resilience.yaml", cfg), log_dir)
        yield gateway
    finally:
        if gateway:
            gateway.stop()
        if bravo:
            bravo.stop()


async def _pid(c: Any, gw: harness.Gateway, server: str) -> int:
    r = await invoke(c, server, "pid", {})
    assert r.is_error is False, text_of(r)
    pid = int(text_of(r))
    gw.known_backend_pids.add(pid)
    return pid


async def test_crashed_backend_errors_then_restarts(gw) -> None:
    async with gw_client(gw) as c:
        before = await _pid(c, gw, "alpha")
        t0 = time.monotonic()
        try:
            r = await invoke(c, "alpha", "crash", {})
            assert r.is_error is True, f"crash returned a success: {harness.dump(r)}"
        except MCPError:
            pass  # a JSON-RPC error is acceptable too
        elapsed = time.monotonic() - t0
        assert elapsed < BACKEND_TIMEOUT_S + 1.5, f"crash took {elapsed:.1f}s to be reported"
        assert harness.wait_dead([before], 5) == [], "crashed backend still alive"
        after = await _pid(c, gw, "alpha")  # the very next call works, on a new process
        assert after != before
        assert text_of(await invoke(c, "alpha", "echo", {"text": "back"})) == "back"


async def test_crash_is_visible_in_health(gw) -> None:
    async with gw_client(gw) as c:
        await _pid(c, gw, "charlie")
        try:
            await invoke(c, "charlie", "crash", {})
        except MCPError:
            pass
        h = gw.health()
        assert "charlie" in h["backends"]
        await _pid(c, gw, "charlie")  # and it comes back


async def test_hanging_call_does_not_block_others(gw) -> None:
    async with gw_client(gw) as c, gw_client(gw) as other:
        await c.list_tools()
        timings: dict[str, float] = {}
        hang_outcome: dict[str, Any] = {}

        async def hang() -> None:
            try:
                hang_outcome["result"] = await invoke(c, "alpha", "hang", {})
            except MCPError as e:
                hang_outcome["error"] = e

        async with anyio.create_task_group() as tg:
            tg.start_soon(hang)
            await anyio.sleep(0.3)
            t0 = time.monotonic()
            servers = structured(await other.call_tool("gateway_list_servers", {}))
            timings["list_servers"] = time.monotonic() - t0
            t0 = time.monotonic()
            structured(await other.call_tool("gateway_search_tools", {"query": "echo"}))
            timings["search"] = time.monotonic() - t0
            t0 = time.monotonic()
            assert text_of(await invoke(other, "bravo", "echo", {"text": "b"})) == "b"
            timings["invoke_other_backend"] = time.monotonic() - t0
            t0 = time.monotonic()
            assert text_of(await invoke(other, "alpha", "echo", {"text": "a"})) == "a"
            timings["invoke_same_backend"] = time.monotonic() - t0
            t0 = time.monotonic()
            assert text_of(await invoke(c, "charlie", "echo", {"text": "c"})) == "c"
            timings["same_session"] = time.monotonic() - t0
            assert {s["name"] for s in servers["servers"]} == {"alpha", "bravo", "charlie"}
            # the hang must end by the backend timeout, as an error
            with anyio.fail_after(BACKEND_TIMEOUT_S + 5):
                while not hang_outcome:
                    await anyio.sleep(0.05)
        assert all(t < 2.0 for t in timings.values()), timings
        if "result" in hang_outcome:
            assert hang_outcome["result"].is_error is True, "hang returned a success"


@pytest.mark.parametrize("answers", ["json", "sse"])
async def test_hanging_http_call_times_out_and_the_backend_stays_usable(log_dir: Path, answers: str) -> None:
    """Over http:// a call waits on the caller's own task (JSON answers) or on a stream reader
    (SSE answers): either way the backend's timeout ends it, as a timeout, and the same backend
    answers other calls meanwhile and after."""
    extra = ("--json-response",) if answers == "json" else ()
    backend = harness.start_http_backend(f"hangs-{answers}", "streamable-http", log_dir, *extra)
    gateway = None
    try:
        cfg = harness.make_config({"web": harness.http_backend(backend, "streamable_http", timeout="2s")})
        gateway = harness.start_gateway(harness.write_config(log_dir / f"hang-{answers}.yaml", cfg), log_dir)
        async with gw_client(gateway) as c, gw_client(gateway) as other:
            assert text_of(await invoke(c, "web", "echo", {"text": "warm"})) == "warm"
            outcome: dict[str, Any] = {}

            async def hang() -> None:
                t0 = time.monotonic()
                try:
                    outcome["result"] = await invoke(c, "web", "hang", {})
                except MCPError as e:
                    outcome["error"] = e
                outcome["seconds"] = time.monotonic() - t0

            async with anyio.create_task_group() as tg:
                tg.start_soon(hang)
                await anyio.sleep(0.3)
                t0 = time.monotonic()
                assert text_of(await invoke(other, "web", "echo", {"text": "meanwhile"})) == "meanwhile"
                assert time.monotonic() - t0 < 1.5
            assert 1.5 < outcome["seconds"] < 6, outcome
            text = text_of(outcome["result"]) if "result" in outcome else str(outcome["error"])
            assert "timed out after 2 s" in text, text
            assert text_of(await invoke(c, "web", "echo", {"text": "after"})) == "after"
    finally:
        if gateway:
            gateway.stop()
        backend.stop()


# ------------------------------------------------------------------------------------------
# a backend that never answers tools/list
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gw_stuck(log_dir: Path):
    cfg = harness.make_config({
        "alpha": harness.stdio_backend("alpha"),
        "stuck": harness.stdio_backend("stuck", "--hang-on-list", timeout="2s",
                                       description="never answers tools/list"),
        "zulu": harness.stdio_backend("zulu"),
    })
    gateway = harness.start_gateway(harness.write_config(log_dir / "stuck.yaml", cfg), log_dir)
    try:
        yield gateway
    finally:
        gateway.stop()


LIST_DEADLINE_S = 8.0


async def test_stuck_backend_does_not_stall_list_tools(gw_stuck) -> None:
    async with gw_client(gw_stuck) as c:
        t0 = time.monotonic()
        data = structured(await c.call_tool("gateway_list_tools", {}))
        elapsed = time.monotonic() - t0
    assert elapsed < LIST_DEADLINE_S, f"gateway_list_tools took {elapsed:.1f}s"
    servers = {r["server"] for r in data["tools"]}
    assert {"alpha", "zulu"} <= servers, servers
    assert "stuck" not in servers


async def test_stuck_backend_does_not_stall_search_or_invoke(gw_stuck) -> None:
    async with gw_client(gw_stuck) as c:
        t0 = time.monotonic()
        data = structured(await c.call_tool("gateway_search_tools", {"query": "add integers"}))
        assert time.monotonic() - t0 < LIST_DEADLINE_S
        assert data["matches"] and data["matches"][0]["tool"] == "add"
        assert {m["server"] for m in data["matches"]} <= {"alpha", "zulu"}
        # the answer says which server it could not search, so an agent does not conclude "no such tool"
        assert data["unavailableServers"] == ["stuck"], data
        assert "gateway_list_servers" in data["note"]
        listed = structured(await c.call_tool("gateway_list_tools", {}))
        assert listed["unavailableServers"] == ["stuck"], listed
        t0 = time.monotonic()
        servers = structured(await c.call_tool("gateway_list_servers", {}))
        assert time.monotonic() - t0 < LIST_DEADLINE_S
        assert {s["name"] for s in servers["servers"]} == {"alpha", "stuck", "zulu"}
        t0 = time.monotonic()
        assert text_of(await invoke(c, "zulu", "echo", {"text": "z"})) == "z"
        assert time.monotonic() - t0 < 2


async def test_stuck_backend_costs_one_wait_not_one_per_search(gw_stuck) -> None:
    """Once its listing has failed, searches stop waiting for it (it is retried in the background)."""
    async with gw_client(gw_stuck) as c:
        await c.call_tool("gateway_list_tools", {})  # the one wait: until its 2 s timeout at most
        for _ in range(3):
            t0 = time.monotonic()
            data = structured(await c.call_tool("gateway_search_tools", {"query": "add integers"}))
            assert time.monotonic() - t0 < QUICK_ANSWER_S, "a search waited for the stuck backend again"
            assert data["unavailableServers"] == ["stuck"], data


QUICK_ANSWER_S = 1.5
SLOW_START_S = 7


async def test_slow_starting_backend_costs_one_wait_then_joins(log_dir: Path) -> None:
    """A backend slower to start than the discovery wait (5 s): the first search waits for it once,
    later ones answer at once naming it, and its tools join the catalog when it is up."""
    cfg = harness.make_config({
        "alpha": harness.stdio_backend("alpha"),
        "sluggish": harness.stdio_backend("sluggish", "--start-delay", str(SLOW_START_S), timeout="30s"),
    })
    gateway = harness.start_gateway(harness.write_config(log_dir / "sluggish.yaml", cfg), log_dir)
    try:
        async with gw_client(gateway, read_timeout_seconds=40) as c:
            first = structured(await c.call_tool("gateway_search_tools", {"query": "add integers"}))
            assert first["unavailableServers"] == ["sluggish"], first
            assert first["matches"][0]["server"] == "alpha"
            t0 = time.monotonic()
            second = structured(await c.call_tool("gateway_search_tools", {"query": "add integers"}))
            assert time.monotonic() - t0 < QUICK_ANSWER_S, "the second search waited for the slow backend again"
            assert second["unavailableServers"] == ["sluggish"], second
            with anyio.fail_after(SLOW_START_S + 20):
                while "unavailableServers" in (data := structured(
                        await c.call_tool("gateway_search_tools", {"query": "add integers", "limit": 10}))):
                    await anyio.sleep(0.25)
            assert "sluggish" in {m["server"] for m in data["matches"]}, data
            assert text_of(await invoke(c, "sluggish", "echo", {"text": "up"})) == "up"
    finally:
        gateway.stop()


async def test_discovery_wait_is_configurable(log_dir: Path) -> None:
    """`meta_mcp.discovery_wait: 1s`: the first search gives a backend slow to start 1 s, not 5."""
    cfg = harness.make_config({
        "alpha": harness.stdio_backend("alpha"),
        "sluggish": harness.stdio_backend("sluggish", "--start-delay", str(SLOW_START_S), timeout="30s"),
    })
    cfg["meta_mcp"]["discovery_wait"] = "1s"
    # alpha starts before /ready (warm start), so only sluggish is waited for: on a loaded
    # machine a Python server can take more than 1 s to start, and then alpha was missing too.
    cfg["meta_mcp"]["warm_start"] = ["alpha"]
    gateway = harness.start_gateway(harness.write_config(log_dir / "wait-1s.yaml", cfg), log_dir)
    try:
        async with gw_client(gateway, read_timeout_seconds=40) as c:
            t0 = time.monotonic()
            first = structured(await c.call_tool("gateway_search_tools", {"query": "add integers"}))
            assert time.monotonic() - t0 < 3, "the search waited longer than the configured 1 s"
            assert first["unavailableServers"] == ["sluggish"], first
    finally:
        gateway.stop()


async def test_stuck_backend_shows_in_health(gw_stuck) -> None:
    """Not in the written contract, but /health exists for this: a backend whose tools/list timed out
    must not look exactly like a healthy one (status, last_error, or overall 'degraded')."""
    async with gw_client(gw_stuck) as c:
        await c.call_tool("gateway_list_tools", {})
    deadline = time.monotonic() + 5
    while True:
        h = gw_stuck.health()
        stuck, zulu = h["backends"]["stuck"], h["backends"]["zulu"]
        flagged = h["status"] == "degraded" or stuck["status"] != zulu["status"] or stuck["last_error"] is not None
        if flagged or time.monotonic() > deadline:
            break
        await anyio.sleep(0.2)
    assert flagged, f"stuck backend looks healthy in /health: {h}"


# ------------------------------------------------------------------------------------------
# shutdown
# ------------------------------------------------------------------------------------------

SHUTDOWN_TIMEOUT_S = 3


def _shutdown_gateway(log_dir: Path, tag: str) -> harness.Gateway:
    cfg = harness.make_config({
        "one": harness.stdio_backend("one", tag=tag),
        "two": harness.stdio_backend("two", tag=tag),
    }, shutdown_timeout=f"{SHUTDOWN_TIMEOUT_S}s")
    path = harness.write_config(log_dir / f"shutdown-{tag[-6:]}.yaml", cfg)
    return harness.start_gateway(path, log_dir, shutdown_timeout=SHUTDOWN_TIMEOUT_S)


async def test_sigterm_exits_and_leaves_no_backends(log_dir: Path) -> None:
    tag = f"{harness.RUN_TAG}-shut-{uuid.uuid4().hex[:6]}"
    gw = _shutdown_gateway(log_dir, tag)
    try:
        async with gw_client(gw) as c:
            pids = [await _pid(c, gw, "one"), await _pid(c, gw, "two")]
        assert len(harness.tagged_pids(tag)) >= 2
        rc, took = gw.terminate()
        assert rc is not None, f"gateway did not exit within {SHUTDOWN_TIMEOUT_S + 5}s of SIGTERM"
        assert took < SHUTDOWN_TIMEOUT_S + 3, f"shutdown took {took:.1f}s"
        assert harness.wait_dead(pids, 2) == [], f"backend processes survived: {pids}"
        assert harness.tagged_pids(tag) == [], "stray backend processes"
    finally:
        gw.stop()


async def test_sigterm_with_call_in_flight(log_dir: Path) -> None:
    tag = f"{harness.RUN_TAG}-shut-{uuid.uuid4().hex[:6]}"
    gw = _shutdown_gateway(log_dir, tag)
    try:
        async with gw_client(gw) as c:
            pids = [await _pid(c, gw, "one"), await _pid(c, gw, "two")]

        def hang() -> None:
            with harness.RawSession(gw.url, timeout=SHUTDOWN_TIMEOUT_S + 10) as s:
                try:
                    s.initialize()
                    s.request("tools/call", {"name": "gateway_invoke", "arguments": {
                        "server": "one", "tool": "hang", "arguments": {}}})
                except (httpx.HTTPError, AssertionError):
                    pass

        t = threading.Thread(target=hang, daemon=True)
        t.start()
        time.sleep(0.5)
        rc, took = gw.terminate()
        assert rc is not None, "gateway did not exit with a call in flight"
        assert took < SHUTDOWN_TIMEOUT_S + 3, f"shutdown took {took:.1f}s"
        assert harness.wait_dead(pids, 2) == [], f"backend processes survived: {pids}"
        assert harness.tagged_pids(tag) == []
        t.join(5)
    finally:
        gw.stop()


def test_exit_code_after_sigterm_is_clean(log_dir: Path) -> None:
    tag = f"{harness.RUN_TAG}-shut-{uuid.uuid4().hex[:6]}"
    gw = _shutdown_gateway(log_dir, tag)
    try:
        rc, _ = gw.terminate()
        assert rc in (0, -signal.SIGTERM, 128 + signal.SIGTERM), f"exit code {rc}"
    finally:
        gw.stop()
