"""Issue 18, tool profiles (`telemetry.profiles`): per-tool statistics that outlive the gateway.

Calls from the official SDK client to a stdio SDK backend (echo three times, a tool that answers
`isError`, one that times out) are recorded; `gateway_list_tools` and `gateway_search_tools` with
`include: ["stats"]` show them (calls, failures by kind, latency percentiles, last use); after a
restart of the gateway the same numbers come back from the SQLite file next to the catalog cache,
and `mcp-gateway stats` prints them as a table and as JSON lines. With `telemetry.profiles: false`
a request for statistics says they are off instead of showing zeros.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import harness
from harness import gw_client

pytestmark = pytest.mark.anyio


def config(tmp: Path, **extra: object) -> Path:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha", timeout="2s")}, extra=extra or None)
    return harness.write_config(tmp / "profiles.yaml", cfg)


def by_tool(listing: dict) -> dict[str, dict]:
    return {t["name"]: t for t in listing["tools"]}


async def test_statistics_survive_a_restart_and_reach_the_cli(tmp_path: Path) -> None:
    path = config(tmp_path)
    with harness.running_gateway(path, tmp_path) as gw:
        async with gw_client(gw) as c:
            for i in range(3):
                assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": f"p{i}"})) == f"p{i}"
            assert (await harness.invoke(c, "alpha", "fail", {"message": "no"})).is_error
            assert (await harness.invoke(c, "alpha", "slow", {"seconds": 5})).is_error
            listing = harness.structured(await c.call_tool("gateway_list_tools", {"server": "alpha", "include": ["stats"]}))
            tools = by_tool(listing)
            echo = tools["echo"]["stats"]
            assert echo["calls"] == 3 and echo["error_rate"] == 0 and "failures" not in echo
            assert 0 < echo["p50_ms"] <= echo["p95_ms"] <= echo["p99_ms"] < 2000
            assert echo["days"] == 30 and echo["last_used"].endswith("Z")
            assert tools["fail"]["stats"]["failures"] == {"tool_error": 1} and tools["fail"]["stats"]["error_rate"] == 1
            assert tools["slow"]["stats"]["failures"] == {"timeout": 1}
            assert tools["add"]["stats"] == {"days": 30, "calls": 0}
            # The full schemas are still there.
            assert tools["echo"]["inputSchema"]["properties"]["text"]
            # Without `include`, nothing is added.
            plain = by_tool(harness.structured(await c.call_tool("gateway_list_tools", {"server": "alpha"})))
            assert "stats" not in plain["echo"]
            summary = harness.structured(await c.call_tool("gateway_list_tools", {"include": ["stats"]}))
            assert next(t for t in summary["tools"] if t["name"] == "echo")["stats"]["calls"] == 3
            found = harness.structured(await c.call_tool("gateway_search_tools", {"query": "echo text", "include": ["stats"]}))
            hit = next(m for m in found["matches"] if m["tool"] == "echo")
            assert hit["stats"]["calls"] == 3

    # A new process on the same config: the numbers come from the file.
    with harness.running_gateway(path, tmp_path) as gw:
        async with gw_client(gw) as c:
            tools = by_tool(harness.structured(await c.call_tool("gateway_list_tools", {"server": "alpha", "include": ["stats"]})))
            assert tools["echo"]["stats"]["calls"] == 3 and tools["fail"]["stats"]["calls"] == 1
            assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "again"})) == "again"
            tools = by_tool(harness.structured(await c.call_tool("gateway_list_tools", {"server": "alpha", "include": ["stats"]})))
            assert tools["echo"]["stats"]["calls"] == 4

    table = harness.run_cli("stats", "--config", str(path))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["server", "tool", "calls", "failed"]
    echo_row = next(line.split() for line in lines if line.split()[:2] == ["alpha", "echo"])
    assert echo_row[2] == "4" and echo_row[3] == "0.0%"
    assert "3 tools, last 30 days" in lines[-1]
    rows = [json.loads(line) for line in harness.run_cli("stats", "--config", str(path), "--json", "--since", "7d").stdout.splitlines()]
    assert {(r["tool"], r["calls"]) for r in rows} == {("echo", 4), ("fail", 1), ("slow", 1)}
    assert all(r["days"] == 7 for r in rows)
    bad = harness.run_cli("stats", "--config", str(path), "--since", "2h")
    assert bad.returncode != 0 and "whole days" in bad.stderr


async def test_asking_for_statistics_when_they_are_off_says_so(tmp_path: Path) -> None:
    path = config(tmp_path, telemetry={"profiles": False})
    with harness.running_gateway(path, tmp_path) as gw:
        async with gw_client(gw) as c:
            await harness.invoke(c, "alpha", "echo", {"text": "x"})
            listing = harness.structured(await c.call_tool("gateway_list_tools", {"server": "alpha", "include": ["stats"]}))
            assert "telemetry.profiles" in listing["stats_unavailable"]
            assert all("stats" not in t for t in listing["tools"])
            found = harness.structured(await c.call_tool("gateway_search_tools", {"query": "echo", "include": ["stats"]}))
            assert "telemetry.profiles" in found["stats_unavailable"]
    missing = harness.run_cli("stats", "--config", str(path))
    assert missing.returncode != 0 and "no tool profiles" in missing.stderr
