"""The security review's relay findings, each probe as a test (issue 13: 1, 2, 3, 9, 12, 13):

- a `notifications/cancelled` with a huge or non-finite requestId crashed the gateway on every
  front end (Int(Double) trap);
- stdio backends inherited the gateway's sockets (its listening port, client connections);
- a raw line break relayed to a newline-framed channel smuggled a second message into a backend,
  or printed a forged answer on the stdio front end;
- a backend that stops reading its stdin held a call past its timeout;
- a duplicate JSON key was read differently by the gateway and the backend;
- settings and invocations that trapped: max_body_size above 4 GiB, `--stdio` onto /dev/null.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect as ws_connect

import harness
from test_gateway_stdio import RawStdio

LINE_BACKEND = harness.HERE / "servers" / "line_backend.py"
PRETTY_BACKEND = harness.HERE / "servers" / "pretty_http_backend.py"
HUGE_IDS = ["1e300", "-9.3e18", "1e309"]


def line_backend(log: Path, *extra: str, timeout: str = "5s") -> dict[str, Any]:
    return {"command": f"{harness.PYTHON} {LINE_BACKEND} --log {log} --tag {harness.RUN_TAG} {' '.join(extra)}",
            "description": "raw line backend", "timeout": timeout}


def records(log: Path) -> list[dict[str, Any]]:
    return [json.loads(l) for l in log.read_text().splitlines()] if log.exists() else []


def cancelled(request_id: str) -> bytes:
    # Written by hand: json.dumps cannot write 1e309, and a client need not be Python.
    return ('{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":%s}}' % request_id).encode()


@pytest.fixture(scope="module")
def env(log_dir: Path):
    lines = log_dir / "line-backend.jsonl"
    stuck = log_dir / "stuck-backend.jsonl"
    cfg = harness.make_config({
        "line": line_backend(lines),
        "stuck": line_backend(stuck, "--stop-reading-after-init", timeout="3s"),
    }, surfaced=[("line", "echo")])
    config = harness.write_config(log_dir / "security-relay.yaml", cfg)
    with harness.running_gateway(config, log_dir) as gw:
        yield {"gw": gw, "config": config, "lines": lines, "stuck": stuck}


def alive_and_answering(gw: harness.Gateway) -> None:
    assert gw.proc.poll() is None, f"gateway died (exit {gw.proc.returncode}):\n{harness.tail(gw.log)}"
    with harness.RawSession(gw.url) as s:
        s.initialize()
        _, _, reply = s.request("ping")
        assert reply.get("result") == {}, reply


# ---------------------------------------------------------------- finding 1: one message, one crash

@pytest.mark.parametrize("request_id", HUGE_IDS)
def test_huge_cancel_id_over_streamable_http(env, request_id: str) -> None:
    gw = env["gw"]
    with harness.RawSession(gw.url) as s:
        s.initialize()
        r = httpx.post(gw.url, content=cancelled(request_id), headers=s.headers(), timeout=10)
        assert r.status_code == 202, r.text
    alive_and_answering(gw)


@pytest.mark.parametrize("request_id", HUGE_IDS)
def test_huge_cancel_id_over_websocket_without_initialize(env, request_id: str) -> None:
    gw = env["gw"]
    with ws_connect(f"ws://127.0.0.1:{gw.port}/ws", subprotocols=["mcp"], open_timeout=10) as ws:
        ws.send(cancelled(request_id).decode())
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 5, "method": "ping"}))
        assert json.loads(ws.recv(timeout=10))["id"] == 5
    alive_and_answering(gw)


@pytest.mark.parametrize("request_id", HUGE_IDS)
def test_huge_cancel_id_over_legacy_sse_messages(env, request_id: str) -> None:
    gw = env["gw"]
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", f"{gw.base}/sse", headers={"Accept": "text/event-stream"}) as stream:
            endpoint = next(l for l in stream.iter_lines() if l.startswith("data:"))[5:].strip()
            r = client.post(f"{gw.base}{endpoint}", content=cancelled(request_id),
                            headers={"Content-Type": "application/json"})
            assert r.status_code == 202, r.text
    alive_and_answering(gw)


def test_huge_cancel_ids_over_stdio(env, log_dir: Path) -> None:
    stdin = b"".join(cancelled(i) + b"\n" for i in HUGE_IDS)
    p = subprocess.run([str(harness.gateway_bin()), "--stdio", "--config", str(env["config"])], input=stdin,
                       capture_output=True, timeout=30, env=harness.gateway_env())
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    assert b"runtime failure" not in p.stderr and b"Fatal error" not in p.stderr


# ---------------------------------------------------------------- finding 2: inherited descriptors

def test_backends_hold_only_their_pipes_and_the_port_is_free_after_kill_9(log_dir: Path) -> None:
    """Started on a client's request (lazily), the backend would have inherited that client's
    TCP connection too. After kill -9 of the gateway, no orphan may keep its port."""
    log = log_dir / "fd-backend.jsonl"
    config = harness.write_config(log_dir / "fds.yaml", harness.make_config({"line": line_backend(log)}))
    gw = harness.start_gateway(config, log_dir)
    backend_pid = None
    try:
        with harness.RawSession(gw.url) as s:
            s.initialize()
            _, _, reply = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
                "server": "line", "tool": "pid", "arguments": {}}})
            backend_pid = int(reply["result"]["content"][0]["text"])
        start = next(r for r in records(log) if "fds" in r)
        assert start["pid"] == backend_pid
        assert len(start["fds"]) <= 4, start  # stdin, stdout, stderr, and the listing's own
        assert not [t for t in start["fds"] if t.startswith("socket:") or "eventfd" in t or "eventpoll" in t], start
        fds = os.listdir(f"/proc/{backend_pid}/fd")
        assert all(not os.readlink(f"/proc/{backend_pid}/fd/{fd}").startswith("socket:") for fd in fds)
        gw.proc.kill()  # SIGKILL to the gateway alone: its backends are in groups of their own
        gw.proc.wait(timeout=5)
        probe = socket.socket()
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", gw.port))  # raises EADDRINUSE while an orphan holds it
            probe.listen()
        finally:
            probe.close()
    finally:
        gw.stop()
        if backend_pid:
            try:
                os.kill(backend_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


# ---------------------------------------------------------------- finding 3: stdio smuggling

def test_no_message_is_smuggled_into_a_stdio_backend(env) -> None:
    gw, log = env["gw"], env["lines"]
    smuggled = '{"x":\n{"jsonrpc":"2.0","id":"smuggled-1","method":"tools/call","params":{"name":"echo","arguments":{"text":"SMUGGLED"}}}\r\n}'
    with harness.RawSession(gw.url) as s:
        s.initialize()
        _, _, reply = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "line", "tool": "echo", "arguments": smuggled}})
        assert "result" in reply and not reply["result"].get("isError"), reply
        assert json.loads(reply["result"]["content"][0]["text"]) == json.loads(smuggled)
        # An ordinary pretty-printed body: a raw LF inside arguments broke the call (timeout).
        body = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "line__echo", "arguments": {"a": 1, "text": "two\nlines"}}}, indent=2)
        r = httpx.post(gw.url, content=body.encode(), headers=s.headers(), timeout=10)
        answer = harness.final_response(harness.response_messages(r), 3)
        assert json.loads(answer["result"]["content"][0]["text"]) == {"a": 1, "text": "two\nlines"}, answer
    lines = [r["line"] for r in records(log) if "line" in r]
    for line in lines:
        assert "\r" not in line, line
        assert isinstance(json.loads(line), dict), line  # every line the backend read is one whole message
    requests = [json.loads(l) for l in lines]
    assert not [m for m in requests if m.get("id") == "smuggled-1"], "the backend read a request no client sent"


def test_a_pretty_printing_backend_cannot_forge_stdio_answers(log_dir: Path) -> None:
    proc = subprocess.Popen([harness.PYTHON, str(PRETTY_BACKEND)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    harness._register(proc)
    try:
        assert proc.stdout is not None
        url = re.match(rb"READY (\S+)", proc.stdout.readline()).group(1).decode()  # type: ignore[union-attr]
        cfg = harness.make_config({"pretty": {"http_url": url, "transport": "streamable_http",
                                              "protocol_version": "2025-06-18", "timeout": "5s"}})
        config = harness.write_config(log_dir / "pretty.yaml", cfg)
        g = RawStdio(config, log_dir / "pretty-stdio.stderr.log")
        try:
            g.send(harness.initialize_body("2025-06-18", 1))
            g.read_until(1)
            g.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
            g.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
                "name": "gateway_invoke", "arguments": {"server": "pretty", "tool": "forge", "arguments": {}}}})
            answer = g.read_until(2)  # asserts every stdout line is one JSON-RPC message
            assert answer["result"]["content"] == [{"type": "text", "text": "real"}], answer
            assert answer["result"]["x"]["id"] == 1000  # the nested object is relayed, as data
            assert not [l for l in g.lines if json.loads(l).get("id") == 1000], g.lines
        finally:
            g.close()
    finally:
        harness.kill_group(proc)


# ---------------------------------------------------------------- finding 9: a backend that stops reading

def test_a_backend_that_stops_reading_stdin_times_out_at_its_timeout(env) -> None:
    gw = env["gw"]
    blob = "A" * 300_000  # more than a pipe holds
    with harness.RawSession(gw.url, timeout=60) as s:
        s.initialize()
        for attempt in range(3):
            started = time.monotonic()
            _, _, reply = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
                "server": "stuck", "tool": "echo", "arguments": {"blob": blob}}})
            elapsed = time.monotonic() - started
            text = json.dumps(reply)
            assert "timed out" in text or "not reading its stdin" in text, text[:500]
            # The backend's timeout is 3 s: the first call's write is queued and the call ends at
            # its deadline; the second finds the pipe full and waits for it until its deadline;
            # from then on the pipe counts as stalled and calls fail at once.
            assert elapsed < (6 if attempt < 2 else 2), (attempt, elapsed)
    alive_and_answering(gw)


# ---------------------------------------------------------------- duplicate keys

def test_a_duplicate_key_is_read_as_the_backend_reads_it(env) -> None:
    """Python's json (the backend) reads the last of a repeated key; the gateway must too, or a
    check of one tool name would pass a call that runs another."""
    gw = env["gw"]
    with harness.RawSession(gw.url) as s:
        s.initialize()
        body = (b'{"jsonrpc":"2.0","id":9,"method":"tools/list","method":"tools/call","params":'
                b'{"name":"no_such_tool","arguments":{"text":"first"},"name":"line__echo","arguments":{"text":"last"}}}')
        r = httpx.post(gw.url, content=body, headers=s.headers(), timeout=10)
        answer = harness.final_response(harness.response_messages(r), 9)
        assert json.loads(answer["result"]["content"][0]["text"]) == {"text": "last"}, answer


# ---------------------------------------------------------------- finding 12/13: settings and invocations that trapped

def test_max_body_size_above_the_maximum_is_a_config_error(log_dir: Path) -> None:
    path = log_dir / "bigbody.yaml"
    path.write_text("server:\n  port: 39496\n  max_body_size: 5GiB\nbackends: {}\n")
    p = harness.run_cli("config", "validate", str(path))
    assert p.returncode != 0
    assert re.search(r"bigbody\.yaml:3.*max_body_size", p.stdout + p.stderr), p.stdout + p.stderr


def test_stdio_front_end_with_stdout_on_dev_null(env) -> None:
    with open(os.devnull, "wb") as null:
        p = subprocess.run([str(harness.gateway_bin()), "--stdio", "--config", str(env["config"])],
                           input=(json.dumps(harness.initialize_body("2025-06-18", 1)) + "\n").encode(),
                           stdout=null, stderr=subprocess.PIPE, timeout=30, env=harness.gateway_env())
    assert p.returncode == 0, p.stderr.decode()[-2000:]


def test_server_request_timeout_bounds_a_call_to_a_backend_without_its_own_timeout(log_dir: Path) -> None:
    """`server.request_timeout` was accepted and ignored: now it is the deadline of every call
    to a backend without its own `timeout` (which, like `tool_timeouts`, overrides it: issue 17,
    test_failsafe.py)."""
    alpha = harness.stdio_backend("alpha")
    del alpha["timeout"]
    cfg = harness.make_config({"alpha": alpha}, request_timeout="2s")
    config = harness.write_config(log_dir / "request-timeout.yaml", cfg)
    with harness.running_gateway(config, log_dir) as gw, harness.RawSession(gw.url, timeout=30) as s:
        s.initialize()
        _, _, warm = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "alpha", "tool": "echo", "arguments": {"text": "up"}}})
        assert "result" in warm, warm
        started = time.monotonic()
        _, _, reply = s.request("tools/call", {"name": "gateway_invoke", "arguments": {
            "server": "alpha", "tool": "slow", "arguments": {"seconds": 10}}})
        elapsed = time.monotonic() - started
        assert "timed out after 2 s" in json.dumps(reply), reply
        assert 1.5 < elapsed < 6, elapsed


# ---------------------------------------------------------------- issue 17: invalid JSON inside arguments

INVALID_ARGUMENTS = ['{"text":"a" "b":1}', '{"text":tru}', '{"text":"\\x"}', '{"n":01}', '{"a":[1,}']


@pytest.mark.parametrize("arguments", INVALID_ARGUMENTS)
def test_invalid_json_inside_arguments_is_a_parse_error_and_never_relayed(env, arguments: str) -> None:
    """A missing comma, a bad literal or escape, a leading zero, a stray bracket nested inside
    `arguments` is refused at once with -32700, on /mcp (surfaced tool and gateway_invoke),
    /mcp/{backend} and WebSocket; the backend never reads it (before, it got it and the call
    waited for the backend's timeout)."""
    gw, log = env["gw"], env["lines"]
    seen_before = len(records(log))
    bodies = [
        '{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"line__echo","arguments":%s}}' % arguments,
        '{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"gateway_invoke","arguments":'
        '{"server":"line","tool":"echo","arguments":%s}}}' % arguments,
    ]
    with harness.RawSession(gw.url) as s:
        s.initialize()
        for body in bodies:
            started = time.monotonic()
            r = httpx.post(gw.url, content=body.encode(), headers=s.headers(), timeout=10)
            assert time.monotonic() - started < 2
            answer = r.json()
            assert answer["error"]["code"] == -32700, answer
            assert answer["id"] is None
    direct = httpx.post(f"{gw.base}/mcp/line", content=bodies[0].replace("line__echo", "echo").encode(),
                        headers={"Accept": harness.ACCEPT_BOTH, "Content-Type": "application/json"}, timeout=10)
    assert direct.json()["error"]["code"] == -32700, direct.text
    with ws_connect(f"ws://127.0.0.1:{gw.port}/ws", subprotocols=["mcp"], open_timeout=10) as ws:
        ws.send(bodies[1])
        assert json.loads(ws.recv(timeout=10))["error"]["code"] == -32700
    assert len(records(log)) == seen_before, "the backend read an invalid message"
    alive_and_answering(gw)
