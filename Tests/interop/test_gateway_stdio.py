"""The gateway's stdio front end: `mcp-gateway --stdio --config PATH`, driven by the SDK's stdio
client (which spawns it) and by raw newline-delimited JSON-RPC."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import stdio_client

import harness
from harness import META_TOOLS, invoke, structured, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def config(log_dir: Path) -> Path:
    cfg = harness.make_config({
        "alpha": harness.stdio_backend("alpha"),
        "beta": harness.stdio_backend("beta"),
    }, surfaced=[("alpha", "echo")])
    return harness.write_config(log_dir / "stdio.yaml", cfg)


def client(config: Path, log_dir: Path, mode: str = "legacy") -> Client:
    errlog = open(log_dir / "gateway-stdio.stderr.log", "a")
    harness.GATEWAY_LOGS.append(log_dir / "gateway-stdio.stderr.log")
    return Client(stdio_client(harness.gateway_stdio_params(config), errlog=errlog), mode=mode,
                  read_timeout_seconds=30)


async def test_list_tools_and_invoke_echo(config, log_dir) -> None:
    async with client(config, log_dir) as c:
        assert c.protocol_version in harness.HANDSHAKE_VERSIONS
        names = {t.name for t in (await c.list_tools()).tools}
        assert names == META_TOOLS | {"alpha__echo"}
        r = await invoke(c, "alpha", "echo", {"text": "over stdio"})
        assert harness.wire_call_result(r) == {"content": [{"type": "text", "text": "over stdio"}],
                                               "structuredContent": None, "isError": False}
        assert text_of(await c.call_tool("alpha__echo", {"text": "surfaced"})) == "surfaced"
        data = structured(await c.call_tool("gateway_list_servers", {}))
        assert {s["name"] for s in data["servers"]} == {"alpha", "beta"}


async def test_structured_image_and_error_relay(config, log_dir) -> None:
    async with client(config, log_dir) as c:
        r = await invoke(c, "beta", "add", {"a": 1, "b": 2})
        assert r.structured_content == {"sum": 3}
        r = await invoke(c, "beta", "image", {})
        assert [b.type for b in r.content] == ["image", "text"]
        assert r.content[0].data == harness.PNG_1X1_B64 and r.content[0].mime_type == "image/png"
        r = await invoke(c, "beta", "fail", {"message": "nope"})
        assert r.is_error is True and text_of(r) == "nope"


async def test_progress_over_stdio(config, log_dir) -> None:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with client(config, log_dir) as c:
        r = await invoke(c, "alpha", "progress", {"steps": 3}, progress_callback=on_progress)
    assert text_of(r) == "done"
    assert seen == [1, 2, 3]


async def test_slow_call_does_not_block_ping_or_echo(config, log_dir) -> None:
    async with client(config, log_dir) as c:
        await c.list_tools()
        await invoke(c, "alpha", "echo", {"text": "warm"})  # backends started
        await invoke(c, "beta", "echo", {"text": "warm"})
        t: dict[str, float] = {}
        t0 = time.monotonic()

        async def slow() -> None:
            assert text_of(await invoke(c, "alpha", "slow", {"seconds": 2})) == "slept"
            t["slow"] = time.monotonic() - t0

        async with anyio.create_task_group() as tg:
            tg.start_soon(slow)
            await anyio.sleep(0.2)
            s = time.monotonic()
            await c.send_ping()
            t["ping"] = time.monotonic() - s
            s = time.monotonic()
            assert text_of(await invoke(c, "beta", "echo", {"text": "quick"})) == "quick"
            t["echo_other_backend"] = time.monotonic() - s
            s = time.monotonic()
            assert text_of(await invoke(c, "alpha", "echo", {"text": "quick"})) == "quick"
            t["echo_same_backend"] = time.monotonic() - s
            t["all_fast_done"] = time.monotonic() - t0
        assert t["ping"] < 0.5 and t["echo_other_backend"] < 1.0 and t["echo_same_backend"] < 1.0, t
        assert t["all_fast_done"] < 1.8, t
        assert t["slow"] >= 2.0, t


async def test_sdk_auto_mode_over_stdio(config, log_dir) -> None:
    t0 = time.monotonic()
    async with client(config, log_dir, mode="auto") as c:
        took = time.monotonic() - t0
        assert c.protocol_version in (*harness.HANDSHAKE_VERSIONS, "2026-07-28")
        assert text_of(await invoke(c, "alpha", "echo", {"text": "auto"})) == "auto"
    assert took < 5, f"auto negotiation took {took:.1f}s (gateway must answer server/discover, e.g. -32601)"


# ------------------------------------------------------------------------------------------
# raw newline-delimited JSON-RPC
# ------------------------------------------------------------------------------------------


class RawStdio:
    def __init__(self, config: Path, log: Path):
        self.errf = open(log, "ab")
        self.proc = subprocess.Popen(
            [str(harness.gateway_bin()), "--stdio", "--config", str(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errf,
            env=harness.gateway_env(), start_new_session=True,
        )
        harness._register(self.proc)
        self.buf = b""
        self.lines: list[bytes] = []

    def send(self, msg: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(msg).encode() + b"\n")
        self.proc.stdin.flush()

    def read_until(self, req_id: Any, timeout: float = 20) -> dict[str, Any]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                self.lines.append(line)
                msg = json.loads(line)  # every stdout line must be one JSON-RPC message
                assert msg.get("jsonrpc") == "2.0", msg
                if msg.get("id") == req_id and ("result" in msg or "error" in msg):
                    return msg
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AssertionError(f"gateway closed stdout; rc={self.proc.poll()}")
                self.buf += chunk
        raise AssertionError(f"no answer for id {req_id!r} in {timeout}s")

    def close(self) -> None:
        harness.kill_group(self.proc)
        self.proc.wait(timeout=5)
        self.errf.close()


def test_raw_stdio_lines_are_pure_jsonrpc(config, log_dir) -> None:
    g = RawStdio(config, log_dir / "raw-stdio.stderr.log")
    try:
        g.send(harness.initialize_body("2025-06-18", 1))
        init = g.read_until(1)
        assert init["result"]["protocolVersion"] == "2025-06-18"
        g.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        g.send({"jsonrpc": "2.0", "id": "two", "method": "tools/list"})
        assert META_TOOLS <= {t["name"] for t in g.read_until("two")["result"]["tools"]}
        g.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "gateway_invoke", "arguments": {"server": "alpha", "tool": "echo", "arguments": {"text": "raw"}}}})
        assert g.read_until(3)["result"]["content"] == [{"type": "text", "text": "raw"}]
        g.send({"jsonrpc": "2.0", "id": 4, "method": "no/such/method"})
        assert g.read_until(4)["error"]["code"] == -32601
    finally:
        g.close()


def test_stdin_eof_exits_and_reaps_backends(config, log_dir) -> None:
    g = RawStdio(config, log_dir / "raw-stdio-eof.stderr.log")
    try:
        g.send(harness.initialize_body("2025-11-25", 1))
        g.read_until(1)
        g.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        pids = []
        for i, server in enumerate(["alpha", "beta"], start=10):
            g.send({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {
                "name": "gateway_invoke", "arguments": {"server": server, "tool": "pid", "arguments": {}}}})
            pids.append(int(g.read_until(i)["result"]["content"][0]["text"]))
        assert g.proc.stdin is not None
        g.proc.stdin.close()
        try:
            rc = g.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = None
        assert rc is not None, "gateway kept running after stdin EOF"
        assert harness.wait_dead(pids, 3) == [], f"backends survived stdin EOF: {pids}"
    finally:
        g.close()


def _modern(method: str, params: dict[str, Any] | None = None, rid: Any = 1) -> dict[str, Any]:
    p = dict(params or {})
    p["_meta"] = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                  "io.modelcontextprotocol/clientCapabilities": {},
                  "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"}}
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": p}


def _invoke(server: str, tool: str, arguments: dict[str, Any], rid: Any) -> dict[str, Any]:
    return _modern("tools/call", {"name": "gateway_invoke",
                                  "arguments": {"server": server, "tool": tool, "arguments": arguments}}, rid)


def test_listen_over_stdio_in_the_stateless_era(config, log_dir) -> None:
    """subscriptions/listen on the stdio front end: ack first, tagged list changes and resource
    updates, nothing untagged, and `notifications/cancelled` ends it without an answer."""
    g = RawStdio(config, log_dir / "raw-stdio-listen.stderr.log")
    try:
        g.send(_modern("server/discover", rid=1))
        assert "2026-07-28" in g.read_until(1)["result"]["supportedVersions"]
        g.send(_modern("resources/list", rid=2))
        info = next(r["uri"] for r in g.read_until(2)["result"]["resources"] if r["uri"].startswith("mcp-gateway://alpha/"))
        g.send(_modern("subscriptions/listen", {"notifications": {
            "toolsListChanged": True, "resourceSubscriptions": [info]}}, rid="L1"))
        g.send(_invoke("alpha", "echo", {"text": "ping"}, rid=3))
        g.read_until(3)
        messages = [json.loads(line) for line in g.lines]
        ack = next(m for m in messages if m.get("method") == "notifications/subscriptions/acknowledged")
        assert ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L1"
        assert ack["params"]["notifications"] == {"toolsListChanged": True, "resourceSubscriptions": [info]}

        def wait_for(predicate, what: str) -> dict[str, Any]:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                for line in g.lines:
                    m = json.loads(line)
                    if predicate(m):
                        return m
                g.send({"jsonrpc": "2.0", "id": f"poll-{time.monotonic()}", "method": "ping"})
                time.sleep(0.1)
                try:
                    g.read_until("never", timeout=0.1)
                except AssertionError:
                    pass
            raise AssertionError(f"no {what}; saw {[json.loads(x).get('method') for x in g.lines]}")

        # The backend (alpha, itself probed into 2026-07-28) reports the update on its own listen stream.
        g.send(_invoke("alpha", "touch", {"uri": "test://alpha/info"}, rid=4))
        g.read_until(4)
        updated = wait_for(lambda m: m.get("method") == "notifications/resources/updated", "resources/updated")
        assert updated["params"]["uri"] == info
        assert updated["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L1"

        g.send(_invoke("beta", "grow", {"name": "grown_over_stdio"}, rid=5))
        g.read_until(5)
        changed = wait_for(lambda m: m.get("method") == "notifications/tools/list_changed", "tools/list_changed")
        assert changed["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L1"
        # Nothing session-wide reaches a 2026-07-28 connection: every list change is tagged.
        untagged = [json.loads(x) for x in g.lines if b"list_changed" in x and b"subscriptionId" not in x]
        assert untagged == []

        g.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "L1"}})
        g.send(_invoke("alpha", "echo", {"text": "after"}, rid=6))
        assert g.read_until(6)["result"]["content"] == [{"type": "text", "text": "after"}]
        seen = len(g.lines)
        g.send(_invoke("beta", "grow", {"name": "grown_after_cancel"}, rid=7))
        g.read_until(7)
        time.sleep(1.0)
        g.send(_invoke("alpha", "echo", {"text": "last"}, rid=8))
        g.read_until(8)
        later = [json.loads(x) for x in g.lines[seen:]]
        assert not [m for m in later if m.get("method", "").startswith("notifications/tools")], later
        # A cancelled listen gets no answer at all.
        assert not [m for m in map(json.loads, g.lines) if m.get("id") == "L1"]
    finally:
        g.close()
