"""Hybrid search through the product path (docs/search.md): with the default `meta_mcp.search`
a question that shares no word with a tool still finds it, a query naming several needs gets a
hit for each with the need it answers, nonsense finds nothing, the tool vectors are saved beside
the catalog cache and reused, and a config reload switches to lexical ranking and back."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

import harness
from harness import gw_client, structured

pytestmark = pytest.mark.anyio

# Shares no word with any starter-pack tool: lexical ranking finds nothing for it.
SUNNY = "is it going to be sunny in Paris"


def _config(search: str | None) -> dict:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")},
                              extra={"capabilities": {"enabled": True}})
    if search:
        cfg["meta_mcp"]["search"] = search
    return cfg


async def _search(gw: harness.Gateway, query: str, limit: int = 5) -> list[dict]:
    async with gw_client(gw) as c:
        return structured(await c.call_tool("gateway_search_tools", {"query": query, "limit": limit}))["matches"]


async def test_meaning_needs_and_nonsense_through_http(tmp_path: Path) -> None:
    env = {"MCP_GATEWAY_CACHE_DIR": str(tmp_path / "cache")}
    path = harness.write_config(tmp_path / "hybrid.yaml", _config(None))
    gw = harness.start_gateway(path, tmp_path, env=env)
    try:
        sunny = await _search(gw, SUNNY, limit=3)
        assert any("weather" in m["tool"] or "forecast" in m["tool"] for m in sunny), sunny
        # Several needs: each gets its best tool near the top, saying which part it answers.
        both = await _search(gw, "echo some text back unchanged, then add two integers")
        needs = {m["tool"]: m.get("need") for m in both if m["server"] == "alpha"}
        assert needs.get("echo") == "echo some text back unchanged", both
        assert needs.get("add") == "add two integers", both
        scores = [m["score"] for m in both]
        assert scores == sorted(scores, reverse=True)
        assert all("need" not in m for m in await _search(gw, "add two integers"))
        assert await _search(gw, "qqzzxxvvkk plorkh") == []
    finally:
        gw.stop()
    vectors = list((tmp_path / "cache").glob("search-vectors-*.bin"))
    assert len(vectors) == 1 and vectors[0].stat().st_size > 24
    saved, saved_at = vectors[0].read_bytes(), vectors[0].stat().st_mtime_ns

    # A restart searches with the saved vectors and, once the backend is discovered again,
    # embeds nothing new: the file is not rewritten. (Overlapping rebuilds once saved a file
    # without the backend's vectors, so a restart embedded them again.)
    gw = harness.start_gateway(path, tmp_path, env=env)
    try:
        sunny = await _search(gw, SUNNY, limit=3)
        assert any("weather" in m["tool"] or "forecast" in m["tool"] for m in sunny), sunny
        both = await _search(gw, "echo some text back unchanged, then add two integers")
        assert {"echo", "add"} <= {m["tool"] for m in both if m["server"] == "alpha"}, both
    finally:
        gw.stop()
    assert vectors[0].stat().st_mtime_ns == saved_at and vectors[0].read_bytes() == saved


async def test_a_reload_switches_to_lexical_and_back(tmp_path: Path) -> None:
    path = harness.write_config(tmp_path / "reload.yaml", _config("lexical"))
    gw = harness.start_gateway(path, tmp_path)
    try:
        lexical = await _search(gw, SUNNY, limit=3)
        assert not any("weather" in m["tool"] or "forecast" in m["tool"] for m in lexical), lexical
        harness.write_config(path, _config("hybrid"))
        deadline = time.monotonic() + 20
        while True:
            found = await _search(gw, SUNNY, limit=3)
            if any("weather" in m["tool"] or "forecast" in m["tool"] for m in found):
                break
            assert time.monotonic() < deadline, f"still lexical after the reload: {found}"
            time.sleep(0.3)
        assert gw.proc.poll() is None
    finally:
        gw.stop()


def test_the_search_command_says_which_need_each_hit_answers(tmp_path: Path) -> None:
    import json
    env = {"MCP_GATEWAY_CACHE_DIR": str(tmp_path / "cache")}
    path = harness.write_config(tmp_path / "cli.yaml", _config(None))
    found = harness.run_cli("search", "--config", str(path), "--json", "echo some text back, then add two integers",
                            env=env, timeout=60)
    assert found.returncode == 0, found.stderr
    needs = {m["tool"]: m.get("need") for m in json.loads(found.stdout)["matches"] if m["server"] == "alpha"}
    assert needs.get("echo") == "echo some text back" and needs.get("add") == "add two integers", found.stdout
