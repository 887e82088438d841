"""Issue 15: the audit trail.

A gateway with `audit:` writes one JSON line per operation that reaches a backend, whatever the
entry path: gateway_invoke, a surfaced tool, `/mcp/{backend}` tools/call, resources/read and
prompts/get over Streamable HTTP (both eras), legacy SSE, WebSocket and stdio. Listings and
searches, which the gateway answers itself, write none. A line names the principal, front end,
era, method, server and target, the outcome (ok, tool_error, protocol_error, timeout), the
duration and sizes, and `arguments_sha256`, the SHA-256 of the canonical arguments: a marker
planted in arguments never reaches the file, except under `arguments` for a tool named by
`include_arguments`. Files are created 0600 and rotate by size under concurrent load, keeping
`keep` old files and losing no line. `/health` shows the trail to admins only. `audit tail`
and `audit query` read it (rotated files included). With `--stdio`, `path: stdout` is refused.
A call the scope stage refuses is one `denied` line naming the rule, on each path, and never
reaches the backend. Limits' refusals (`limited`) are covered at the Swift level (AuditStageTests).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from websockets.asyncio.client import connect

import harness

ALICE = "alice-key-3c9d1e7a5b2f4086"
OPS = "ops-key-8e2a4f6c1d3b5097"
CAROL = "carol-key-6b0e2d94a7c1f358"
MARKER = "PLANTED-MARKER-e1f9c3a7"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def canonical_sha256(arguments: Any) -> str:
    """The digest the trail records: keys sorted, no whitespace, UTF-8 (ASCII keys here)."""
    text = json.dumps(arguments, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def read_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def wait_for_lines(path: Path, count: int, timeout: float = 10) -> list[dict[str, Any]]:
    """The trail is written off the call path: lines land within milliseconds, not at once."""
    deadline = time.monotonic() + timeout
    while True:
        lines = read_lines(path)
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


class Trail:
    """The audit file and what was in it before a test's operations."""

    def __init__(self, path: Path):
        self.path = path
        self.mark = 0

    def start(self) -> None:
        # Lines of earlier tests (or stragglers of them) are done: wait for quiet, then remember.
        previous = -1
        while True:
            now = len(read_lines(self.path))
            if now == previous:
                break
            previous = now
            time.sleep(0.2)
        self.mark = previous

    def new_lines(self, count: int, settle: float = 0.5) -> list[dict[str, Any]]:
        """Exactly the lines after `start()`, once `count` arrived and nothing more followed."""
        lines = wait_for_lines(self.path, self.mark + count)
        time.sleep(settle)
        return read_lines(self.path)[self.mark:]


@pytest.fixture(scope="module")
def record(log_dir: Path) -> Path:
    path = log_dir / "audit-echo-calls.txt"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def audit_path(log_dir: Path) -> Path:
    return log_dir / "trail" / "audit.jsonl"


@pytest.fixture(scope="module")
def config_path(log_dir: Path, record: Path, audit_path: Path) -> Path:
    audit_path.parent.mkdir(parents=True, exist_ok=True)
    alpha = harness.stdio_backend("alpha", env={"INTEROP_CALL_RECORD": str(record)})
    # A short deadline for the timeout outcome, yet long enough for the SDK server to start on a busy machine.
    sleepy = harness.stdio_backend("sleepy", timeout="4s")
    cfg = harness.make_config({"alpha": alpha, "sleepy": sleepy}, surfaced=[("alpha", "echo")], extra={
        "auth": {"api_keys": [{"name": "alice", "key": ALICE}, {"name": "ops", "key": OPS, "admin": True},
                              {"name": "carol", "key": CAROL, "denied_tools": ["alpha:echo"]}]},
        "audit": {"path": str(audit_path), "include_arguments": ["alpha:add"]},
    })
    return harness.write_config(log_dir / "audit.yaml", cfg)


@pytest.fixture(scope="module")
def gw(log_dir: Path, config_path: Path) -> Iterator[harness.Gateway]:
    g = harness.start_gateway(config_path, log_dir)
    yield g
    g.stop()


@pytest.fixture
def trail(gw: harness.Gateway, audit_path: Path) -> Trail:
    t = Trail(audit_path)
    t.start()
    return t


async def _sdk_operations(url: str, mode: str) -> None:
    async with httpx.AsyncClient(headers={"X-API-Key": ALICE}, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=30) as client:
            await client.list_tools()
            await client.call_tool("gateway_search_tools", {"query": "echo"})
            r = await harness.invoke(client, "alpha", "echo", {"text": MARKER + "-invoke"})
            assert harness.text_of(r) == MARKER + "-invoke"
            r = await client.call_tool("alpha__echo", {"text": MARKER + "-surfaced"})
            assert harness.text_of(r) == MARKER + "-surfaced"
            resources = await client.list_resources()
            info = next(x for x in resources.resources if str(x.uri).startswith("mcp-gateway://alpha/"))
            await client.read_resource(info.uri)
            prompts = await client.list_prompts()
            greet = next(p for p in prompts.prompts if p.name.endswith("greet") and "alpha" in p.name)
            await client.get_prompt(greet.name, {"who": MARKER + "-prompt"})


def _direct_call(gw: harness.Gateway, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": name, "arguments": arguments}}
    r = httpx.post(f"{gw.base}/mcp/alpha", json=body, headers={**JSON_HEADERS, "X-API-Key": ALICE}, timeout=30)
    assert r.status_code == 200, r.text
    return harness.final_response(harness.response_messages(r), 7)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_one_line_per_backend_operation(gw: harness.Gateway, trail: Trail, record: Path, mode: str) -> None:
    anyio.run(_sdk_operations, gw.url, mode)
    direct = _direct_call(gw, "echo", {"text": MARKER + "-direct"})
    assert direct["result"]["content"][0]["text"] == MARKER + "-direct"
    lines = trail.new_lines(5)
    # Listings and the search are the gateway's own answers: no line. Five operations, five lines.
    assert [(x["method"], x.get("tool") or x.get("uri") or x.get("prompt")) for x in lines] == [
        ("tools/call", "echo"), ("tools/call", "echo"), ("resources/read", "test://alpha/info"),
        ("prompts/get", "greet"), ("tools/call", "echo")], lines
    era = "2026-07-28" if mode == "2026-07-28" else "2025-11-25"
    for line in lines[:4]:
        assert (line["front_end"], line["era"]) == ("streamable_http", era), line
    assert lines[4]["front_end"] == "direct"
    for line in lines:
        assert (line["principal"], line["principal_method"], line["server"], line["outcome"]) == \
            ("alice", "api_key", "alpha", "ok"), line
        assert line["duration_ms"] >= 0 and line["request_bytes"] > 0 and line["response_bytes"] > 0, line
        assert time.time() - 120 < _epoch(line["time"]) <= time.time() + 1, line
        assert "arguments" not in line
    assert lines[0]["arguments_sha256"] == canonical_sha256({"text": MARKER + "-invoke"})
    assert lines[1]["arguments_sha256"] == canonical_sha256({"text": MARKER + "-surfaced"})
    assert lines[4]["arguments_sha256"] == canonical_sha256({"text": MARKER + "-direct"})
    assert lines[0]["request_bytes"] == len(json.dumps({"text": MARKER + "-invoke"}, separators=(",", ":")))
    # The values reached the backend, never the trail.
    assert MARKER + "-surfaced" in record.read_text()
    assert MARKER not in trail.path.read_text()


def _epoch(rfc3339: str) -> float:
    from datetime import datetime

    assert rfc3339.endswith("Z") and len(rfc3339) == len("2026-12-06T21:50:30.123Z"), rfc3339
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


def test_a_denied_call_is_one_line_on_every_path_and_never_reaches_the_backend(
        gw: harness.Gateway, trail: Trail, record: Path) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(headers={"X-API-Key": CAROL}, timeout=30) as http:
            async with Client(streamable_http_client(gw.url, http_client=http), read_timeout_seconds=30) as client:
                hidden = await harness.invoke(client, "alpha", "echo", {"text": MARKER + "-carol"})
                assert hidden.is_error and "Unknown tool" in harness.text_of(hidden), harness.text_of(hidden)
                with pytest.raises(Exception):
                    await client.call_tool("alpha__echo", {"text": MARKER + "-carol"})

    anyio.run(run)
    body = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": MARKER + "-carol"}}}
    r = httpx.post(f"{gw.base}/mcp/alpha", json=body, headers={**JSON_HEADERS, "X-API-Key": CAROL}, timeout=30)
    assert "error" in harness.final_response(harness.response_messages(r), 3)
    lines = trail.new_lines(3)
    assert [(x["principal"], x["front_end"], x["tool"], x["outcome"]) for x in lines] == [
        ("carol", "streamable_http", "echo", "denied"), ("carol", "streamable_http", "echo", "denied"),
        ("carol", "direct", "echo", "denied")], lines
    for line in lines:
        assert line["rule"] == "auth.api_keys[carol] denies 'alpha:echo'" and line["response_bytes"] == 0, line
        assert line["arguments_sha256"] == canonical_sha256({"text": MARKER + "-carol"})
    assert MARKER + "-carol" not in record.read_text()
    assert MARKER not in trail.path.read_text()


def test_the_same_arguments_in_any_key_order_digest_the_same(gw: harness.Gateway, trail: Trail) -> None:
    raw_one = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}'
    raw_two = b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{ "b" : 3,\n "a" : 2 }}}'
    for raw in (raw_one, raw_two):
        status, _, _ = harness.raw_request(gw.port, "POST", "/mcp/alpha", {**JSON_HEADERS, "X-API-Key": ALICE}, raw)
        assert status == 200
    one, two = trail.new_lines(2)
    assert one["arguments_sha256"] == two["arguments_sha256"] == canonical_sha256({"a": 2, "b": 3})
    assert one["request_bytes"] != two["request_bytes"]
    # alpha:add is in include_arguments: its arguments are on the line, canonical.
    assert one["arguments"] == two["arguments"] == {"a": 2, "b": 3}


def test_outcomes(gw: harness.Gateway, trail: Trail) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(headers={"X-API-Key": ALICE}, timeout=30) as http:
            async with Client(streamable_http_client(gw.url, http_client=http), read_timeout_seconds=30) as client:
                failed = await harness.invoke(client, "alpha", "fail", {"message": MARKER + "-fail"})
                assert failed.is_error
                # Started first, so the timeout below is the call's own.
                assert harness.text_of(await harness.invoke(client, "sleepy", "echo", {"text": "awake"})) == "awake"
                hung = await harness.invoke(client, "sleepy", "hang", {})
                assert hung.is_error

    anyio.run(run)
    unknown = _direct_call(gw, "no_such_tool", {"text": MARKER})
    lines = trail.new_lines(4)
    assert [(x["server"], x["tool"], x["outcome"]) for x in lines] == [
        ("alpha", "fail", "tool_error"), ("sleepy", "echo", "ok"), ("sleepy", "hang", "timeout"),
        ("alpha", "no_such_tool", lines[3]["outcome"])], lines
    assert lines[2]["duration_ms"] >= 3900, lines[2]
    unknown_line = lines[3]
    # The SDK's server reports an unknown tool either as a JSON-RPC error or as an isError result.
    if "error" in unknown:
        assert (unknown_line["outcome"], unknown_line["error_code"]) == ("protocol_error", unknown["error"]["code"]), unknown_line
    else:
        assert unknown_line["outcome"] == "tool_error", unknown_line
    assert MARKER not in trail.path.read_text()


def test_sse_and_websocket_front_ends(gw: harness.Gateway, trail: Trail) -> None:
    async def run() -> None:
        async with Client(sse_client(f"{gw.base}/sse", headers={"X-API-Key": ALICE}), read_timeout_seconds=30) as client:
            assert harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": "over sse"})) == "over sse"
        ws_url = gw.base.replace("http", "ws", 1) + "/ws"
        async with connect(ws_url, subprotocols=["mcp"], additional_headers={"X-API-Key": ALICE}, open_timeout=10) as ws:
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "audit-ws", "version": "0"}}}))
            json.loads(await ws.recv())
            await ws.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
                "name": "gateway_invoke", "arguments": {"server": "alpha", "tool": "echo", "arguments": {"text": "over ws"}}}}))
            while True:
                reply = json.loads(await ws.recv())
                if reply.get("id") == 2:
                    break
            assert reply["result"]["content"][0]["text"] == "over ws", reply

    anyio.run(run)
    sse, ws = trail.new_lines(2)
    assert (sse["front_end"], sse["principal"], sse["outcome"]) == ("sse", "alice", "ok"), sse
    assert (ws["front_end"], ws["era"], ws["outcome"]) == ("websocket", "2025-06-18", "ok"), ws


def test_file_mode_and_health(gw: harness.Gateway, audit_path: Path) -> None:
    assert stat.S_IMODE(os.stat(audit_path).st_mode) == 0o600
    ops = httpx.get(f"{gw.base}/health", headers={"X-API-Key": OPS}, timeout=10).json()
    assert ops["audit"]["path"] == str(audit_path)
    assert ops["audit"]["written"] >= 1 and ops["audit"]["dropped"] == 0 and ops["audit"]["failed"] == 0, ops["audit"]
    assert ops["audit"]["written"] == len(read_lines(audit_path))
    alice = httpx.get(f"{gw.base}/health", headers={"X-API-Key": ALICE}, timeout=10).json()
    assert "audit" not in alice


def test_cli_query_and_tail(gw: harness.Gateway, trail: Trail, config_path: Path) -> None:
    _direct_call(gw, "echo", {"text": "cli-one"})
    _direct_call(gw, "add", {"a": 1, "b": 1})
    trail.new_lines(2)
    all_lines = read_lines(trail.path)

    out = harness.run_cli("audit", "query", "--config", str(config_path), "--json")
    assert out.returncode == 0, out.stderr
    assert [json.loads(x) for x in out.stdout.splitlines()] == all_lines

    out = harness.run_cli("audit", "query", "--config", str(config_path), "--tool", "alpha:ad*", "--json")
    got = [json.loads(x) for x in out.stdout.splitlines()]
    assert got and all(x["tool"] == "add" for x in got) and len(got) == sum(x.get("tool") == "add" for x in all_lines)

    out = harness.run_cli("audit", "query", "--config", str(config_path), "--principal", "nobody", "--json")
    assert out.returncode == 0 and out.stdout == ""

    out = harness.run_cli("audit", "query", "--config", str(config_path), "--outcome", "timeout", "--server", "sleepy",
                          "--since", "1h", "--json")
    assert all(json.loads(x)["outcome"] == "timeout" for x in out.stdout.splitlines())

    future = "2999-01-01T00:00:00Z"
    out = harness.run_cli("audit", "query", "--config", str(config_path), "--since", future)
    assert out.returncode == 0 and out.stdout == ""

    out = harness.run_cli("audit", "query", "--config", str(config_path), "--outcome", "nope")
    assert out.returncode != 0 and "--outcome must be one of" in out.stderr

    out = harness.run_cli("audit", "tail", "--config", str(config_path), "-n", "2", "--json")
    assert [json.loads(x) for x in out.stdout.splitlines()] == all_lines[-2:]

    out = harness.run_cli("audit", "tail", "--config", str(config_path), "-n", "2")
    rows = out.stdout.splitlines()
    assert rows[0].split()[:3] == ["TIME", "PRINCIPAL", "FRONT"], out.stdout
    assert len(rows) == 3 and "add" in rows[2] and "direct" in rows[2], out.stdout


def test_tail_follow_prints_new_lines(gw: harness.Gateway, trail: Trail, config_path: Path) -> None:
    proc = subprocess.Popen([str(harness.gateway_bin()), "audit", "tail", "--config", str(config_path), "-n", "0",
                             "--follow", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=harness.gateway_env(), start_new_session=True)
    try:
        time.sleep(1)
        _direct_call(gw, "echo", {"text": "followed"})
        line = proc.stdout.readline() if proc.stdout else ""
        assert json.loads(line)["arguments_sha256"] == canonical_sha256({"text": "followed"})
    finally:
        harness.kill_group(proc)
        proc.wait(timeout=5)


def test_rotation_under_load_loses_nothing(log_dir: Path) -> None:
    path = log_dir / "rotating" / "audit.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={
        "audit": {"path": str(path), "max_size": "4KiB", "keep": 3}})
    calls = 60

    async def call_all(gw: harness.Gateway) -> None:
        async with harness.gw_client(gw) as client:
            async with anyio.create_task_group() as group:
                for index in range(calls):
                    group.start_soon(harness.invoke, client, "alpha", "echo", {"text": f"load-{index}"})

    with harness.running_gateway(harness.write_config(log_dir / "audit-rotate.yaml", cfg), log_dir) as gw:
        anyio.run(call_all, gw)
        health = gw.health()
        assert health["audit"]["dropped"] == 0, health["audit"]
        rc, _ = gw.terminate()
        assert rc is not None, "the gateway did not exit after SIGTERM"
    files = [path.with_name(f"audit.jsonl.{n}") for n in (3, 2, 1)] + [path]
    assert all(f.exists() for f in files), list(path.parent.iterdir())
    assert not path.with_name("audit.jsonl.4").exists()
    kept: list[dict[str, Any]] = []
    for f in files:
        assert f.stat().st_size <= 4096, f
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        kept += read_lines(f)  # every line whole JSON
    # 60 lines of ~400 bytes do not fit in 4 files of 4 KiB: the oldest went, the newest stayed, none split.
    assert 20 <= len(kept) < calls
    digests = {canonical_sha256({"text": f"load-{i}"}) for i in range(calls)}
    assert all(x["arguments_sha256"] in digests for x in kept)
    # Every call was written (the counter counts lines, rotated away or not), and flushed at shutdown.
    out = harness.run_cli("audit", "query", "--config", str(log_dir / "audit-rotate.yaml"), "--json")
    assert [json.loads(x) for x in out.stdout.splitlines()] == kept


def test_stdio_front_end_and_stdout_refusal(log_dir: Path) -> None:
    path = log_dir / "stdio-trail" / "audit.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"audit": {"path": str(path)}})
    config = harness.write_config(log_dir / "audit-stdio.yaml", cfg)

    async def run() -> None:
        errlog = open(log_dir / "audit-stdio.stderr.log", "a")
        async with Client(stdio_client(harness.gateway_stdio_params(config), errlog=errlog), read_timeout_seconds=30) as c:
            assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "over stdio"})) == "over stdio"

    anyio.run(run)
    (line,) = wait_for_lines(path, 1)
    assert (line["front_end"], line["principal_method"], line["tool"]) == ("stdio", "stdio", "echo"), line

    cfg["audit"] = {"path": "stdout"}
    refused = harness.write_config(log_dir / "audit-stdout.yaml", cfg)
    out = subprocess.run([str(harness.gateway_bin()), "--stdio", "--config", str(refused)], capture_output=True, text=True,
                         timeout=30, env=harness.gateway_env(), stdin=subprocess.DEVNULL)
    assert out.returncode == 2 and out.stdout == "", (out.returncode, out.stdout)
    assert "audit.path: 'stdout' carries MCP messages with --stdio" in out.stderr, out.stderr


def test_config_mistakes_are_errors_with_lines(log_dir: Path) -> None:
    cases = {
        "audit:\n  max_size: 1MiB\n": "'audit' needs 'path'",
        "audit:\n  path: a.jsonl\n  keep: -1\n": "keep",
        "audit:\n  path: a.jsonl\n  max_size: 10\n": "from 4KiB to 1TiB",
        "audit:\n  path: a.jsonl\n  include_argument: [x]\n": "did you mean 'include_arguments'",
    }
    for text, expected in cases.items():
        path = log_dir / "audit-bad.yaml"
        path.write_text(text)
        out = harness.run_cli("config", "validate", str(path))
        assert out.returncode != 0, text
        assert expected in out.stdout + out.stderr, (text, out.stdout, out.stderr)
        assert "audit-bad.yaml:" in out.stdout + out.stderr
