"""The persisted catalog: a restarted gateway lists and searches at once, without spawning the
backends; `mcp-gateway search` ranks from it without starting the server; a changed backend
command invalidates its entry."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import harness
from harness import gw_client, structured

pytestmark = pytest.mark.anyio


async def test_restart_searches_without_respawning(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"MCP_GATEWAY_CACHE_DIR": str(cache)}
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha", env={"API_KEY": "super-secret-value"}),
                               "beta": harness.stdio_backend("beta")})
    path = harness.write_config(tmp_path / "persist.yaml", cfg)

    gw = harness.start_gateway(path, tmp_path, env=env)
    try:
        async with gw_client(gw) as c:
            listed = structured(await c.call_tool("gateway_list_tools", {}))
            assert listed["total"] == 2 * len(harness.BACKEND_TOOLS)
    finally:
        gw.stop()
    saved = list(cache.glob("catalog-*.json"))
    assert len(saved) == 1
    document = json.loads(saved[0].read_text())
    assert set(document["backends"]) == {"alpha", "beta"}
    assert "super-secret-value" not in saved[0].read_text()

    gw = harness.start_gateway(path, tmp_path, env=env)
    try:
        async with gw_client(gw) as c:
            found = structured(await c.call_tool("gateway_search_tools", {"query": "echo text back"}))
            assert found["matches"] and found["matches"][0]["tool"] == "echo"
        health = gw.health()
        assert {b["status"] for b in health["backends"].values()} == {"stopped"}, health
        assert health["backends"]["alpha"]["tools"] == len(harness.BACKEND_TOOLS)
    finally:
        gw.stop()


def test_search_command_uses_the_persisted_catalog(tmp_path: Path) -> None:
    env = {"MCP_GATEWAY_CACHE_DIR": str(tmp_path / "cache")}
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    path = harness.write_config(tmp_path / "search.yaml", cfg)
    first = harness.run_cli("search", "--config", str(path), "--json", "add two integers", env=env, timeout=60)
    assert first.returncode == 0, first.stderr
    matches = json.loads(first.stdout)["matches"]
    assert matches[0]["tool"] == "add"
    again = harness.run_cli("search", "--config", str(path), "--limit", "2", "progress notifications", env=env)
    assert again.returncode == 0 and again.stdout.startswith("1. alpha/progress"), again.stdout
    # A changed command is a different backend: its old list is not trusted.
    cfg["backends"]["alpha"]["command"] += " --page-size 2"
    harness.write_config(path, cfg)
    third = harness.run_cli("search", "--config", str(path), "--json", "add two integers", env=env, timeout=60)
    assert json.loads(third.stdout)["matches"][0]["tool"] == "add"
