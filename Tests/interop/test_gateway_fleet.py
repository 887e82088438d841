"""The gateway in front of real MCP servers from PyPI (mcp-server-git, -time, -fetch; pinned in
requirements.txt), all over stdio, listed and invoked through the meta-tools."""

from __future__ import annotations

from pathlib import Path

import pytest

import harness
from harness import gw_client, invoke, structured, text_of

pytestmark = pytest.mark.anyio

EXPECTED_TOOLS = {
    "git": {"git_status", "git_diff_unstaged", "git_diff_staged", "git_diff", "git_commit", "git_add",
            "git_reset", "git_log", "git_create_branch", "git_checkout", "git_show", "git_branch"},
    "time": {"get_current_time", "convert_time"},
    "fetch": {"fetch"},
}


@pytest.fixture(scope="module")
def gw(log_dir: Path, git_repo: Path):
    b = harness.VENV_BIN
    backends = {
        "git": {"command": f"{b / 'mcp-server-git'} --repository {git_repo}",
                "description": "Git repository tools", "timeout": "30s"},
        "time": {"command": f"{b / 'mcp-server-time'} --local-timezone UTC",
                 "description": "Time and timezone conversion", "timeout": "30s"},
        # --allow-private-ips: the test site is on 127.0.0.1. (raw=true in the call below keeps the
        # server away from readabilipy's Node path, which tries `npm install` offline and hangs.)
        "fetch": {"command": f"{b / 'mcp-server-fetch'} --ignore-robots-txt --allow-private-ips",
                  "description": "Fetch a URL", "timeout": "30s"},
    }
    for cfg in backends.values():
        cfg["env"] = {"INTEROP_RUN_TAG": harness.RUN_TAG}
    path = harness.write_config(log_dir / "fleet.yaml", harness.make_config(backends))
    gateway = harness.start_gateway(path, log_dir, ready_timeout=60)
    try:
        yield gateway
    finally:
        gateway.stop()


async def test_list_tools_of_every_fleet_server(gw) -> None:
    async with gw_client(gw, read_timeout_seconds=60) as c:
        for server, expected in EXPECTED_TOOLS.items():
            data = structured(await c.call_tool("gateway_list_tools", {"server": server}))
            assert data["server"] == server
            assert {t["name"] for t in data["tools"]} == expected
            assert all("inputSchema" in t for t in data["tools"])
        data = structured(await c.call_tool("gateway_list_tools", {}))
        got = {(r["server"], r["name"]) for r in data["tools"]}
        assert got == {(s, t) for s, ts in EXPECTED_TOOLS.items() for t in ts}
        assert data["total"] == 15


async def test_search_finds_fleet_tools(gw) -> None:
    async with gw_client(gw, read_timeout_seconds=60) as c:
        data = structured(await c.call_tool("gateway_search_tools", {"query": "current time in a timezone"}))
        assert (data["matches"][0]["server"], data["matches"][0]["tool"]) == ("time", "get_current_time")
        data = structured(await c.call_tool("gateway_search_tools", {"query": "show commit history log"}))
        assert (data["matches"][0]["server"], data["matches"][0]["tool"]) == ("git", "git_log"), data["matches"][:3]


async def test_invoke_git_log(gw, git_repo: Path) -> None:
    async with gw_client(gw, read_timeout_seconds=60) as c:
        r = await invoke(c, "git", "git_log", {"repo_path": str(git_repo)})
    assert r.is_error is False, text_of(r)
    assert "second interop commit" in text_of(r) and "first interop commit" in text_of(r)


async def test_invoke_time(gw) -> None:
    async with gw_client(gw, read_timeout_seconds=60) as c:
        r = await invoke(c, "time", "get_current_time", {"timezone": "UTC"})
    assert r.is_error is False, text_of(r)
    assert '"timezone": "UTC"' in text_of(r)


async def test_invoke_fetch_against_local_site(gw, local_site: str) -> None:
    async with gw_client(gw, read_timeout_seconds=60) as c:
        r = await invoke(c, "fetch", "fetch", {"url": f"{local_site}/page.txt", "raw": True})
    assert r.is_error is False, text_of(r)
    assert "Hello Interop: the fetch server reached the local site." in text_of(r)


async def test_fleet_tool_error_is_relayed_as_is_error(gw) -> None:
    async with gw_client(gw, read_timeout_seconds=60) as c:
        r = await invoke(c, "time", "get_current_time", {"timezone": "Not/AZone"})
    assert r.is_error is True
    assert "Not/AZone" in text_of(r)
