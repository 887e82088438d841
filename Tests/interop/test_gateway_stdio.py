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
