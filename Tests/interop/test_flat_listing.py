"""`meta_mcp.enabled: false` end to end (issue 20, "Relay gaps"): for clients that want no
meta-tools, `tools/list` shows every backend tool as `server__tool`, in both eras, across a stdio
and an HTTP backend; each is called directly; an unknown name gets a did-you-mean; a principal's
rules hide and refuse tools in the flat list exactly as behind the meta-tools; a backend that grows
a tool makes the gateway tell the client its list changed, and the new tool is callable."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import anyio
import mcp_types as types
import pytest
from mcp.shared.exceptions import MCPError

import harness
from harness import text_of

pytestmark = pytest.mark.anyio

FULL = "flat-full-key-0123456789"
READER = "flat-reader-key-0123456789"


@pytest.fixture(scope="module")
def gw(log_dir: Path) -> Iterator[harness.Gateway]:
    beta = harness.start_http_backend("beta", "streamable-http", log_dir)
    cfg = harness.make_config({
        "alpha": harness.stdio_backend("alpha"),
        "beta": harness.http_backend(beta, "streamable_http", timeout="10s"),
    }, extra={
        "auth": {"api_keys": [
            {"name": "full", "key": FULL},
            {"name": "reader", "key": READER, "backends": ["alpha"], "denied_tools": ["alpha:add"]},
        ]},
        "security": {"pinning": "off"},
    })
    cfg["meta_mcp"]["enabled"] = False
    g = harness.start_gateway(harness.write_config(log_dir / "flat.yaml", cfg), log_dir)
    try:
        yield g
    finally:
        g.stop()
        beta.stop()


def flat(server: str, tools: set[str]) -> set[str]:
    return {f"{server}__{tool}" for tool in tools}


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_every_backend_tool_is_listed_namespaced_and_called_directly(gw, mode: str) -> None:
    async with harness.keyed_client(gw, FULL, mode) as c:
        listed = {t.name for t in (await c.list_tools()).tools}
        assert not listed & harness.META_TOOLS
        assert flat("alpha", harness.BACKEND_TOOLS) <= listed and flat("beta", harness.BACKEND_TOOLS) <= listed, listed
        assert text_of(await c.call_tool("alpha__echo", {"text": "from alpha"})) == "from alpha"
        added = await c.call_tool("beta__add", {"a": 2, "b": 3})
        assert not added.is_error and added.structured_content == {"sum": 5}, added
        with pytest.raises(MCPError) as unknown:
            await c.call_tool("alpha__ecoh", {"text": "x"})
    assert "Unknown tool: alpha__ecoh" in str(unknown.value) and "alpha__echo" in str(unknown.value), unknown.value


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_a_principals_rules_hide_and_refuse_in_the_flat_list(gw, mode: str) -> None:
    async with harness.keyed_client(gw, READER, mode) as c:
        listed = {t.name for t in (await c.list_tools()).tools}
        assert "alpha__echo" in listed
        assert "alpha__add" not in listed and not any(name.startswith("beta__") for name in listed), listed
        assert text_of(await c.call_tool("alpha__echo", {"text": "ok"})) == "ok"
        # Refused exactly as a tool that does not exist: nothing says it is there.
        for hidden in ("alpha__add", "beta__echo"):
            with pytest.raises(MCPError) as refused:
                await c.call_tool(hidden, {"text": "x", "a": 1, "b": 2})
            assert f"Unknown tool: {hidden}." in str(refused.value), refused.value
            assert "alpha__add" not in str(refused.value).split("Did you mean")[-1], refused.value


async def test_a_grown_tool_is_announced_and_callable(gw) -> None:
    changed = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(getattr(message, "root", message), types.ToolListChangedNotification):
            changed.set()

    async with harness.keyed_client(gw, FULL) as c:
        c_listed = {t.name for t in (await c.list_tools()).tools}
        assert "alpha__grown_flat" not in c_listed
    async with harness.keyed_client(gw, FULL, message_handler=on_message) as c:
        await c.list_tools()
        assert text_of(await c.call_tool("alpha__grow", {"name": "grown_flat"})) != ""
        with anyio.fail_after(20):
            await changed.wait()
        with anyio.fail_after(20):
            while "alpha__grown_flat" not in {t.name for t in (await c.list_tools()).tools}:
                await anyio.sleep(0.2)
        assert "grown_flat" in text_of(await c.call_tool("alpha__grown_flat", {"text": "hi"}))
