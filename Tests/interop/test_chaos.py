"""Issue 17, the chaos suite: backends driven to misbehave while official-SDK clients keep calling a
healthy backend through the same gateway. For every fault (chaos.py's `fault_round`): the healthy
calls all succeed with a median latency near the baseline's, the victim's call ends with a clear
error within its timeout, the gateway's fds, child processes and threads come back to their counts
before the fault, and the gateway lives. With CHAOS_LONG=1 (scripts/chaos.sh) each round then makes
10,000 more calls and RSS must be within 10 % of its level before the fault.

Faults covered elsewhere, and extended here rather than repeated:
- a backend that crashes on its own (os._exit) mid-call: test_gateway_resilience.py
  (test_crashed_backend_errors_then_restarts); here it is killed from outside with SIGKILL, over
  stdio and HTTP, with the accounting;
- a hanging backend: test_gateway_resilience.py (stdio and HTTP, latency of the others < 2 s);
  here with the accounting;
- a backend that stops reading its stdin: test_security_relay.py;
- a slow-loris head (200 half-open heads, header_timeout): test_security_limits.py; here a body
  trickled after a complete head, and heads while healthy clients run;
- a session flood on one connection against max_sessions: test_security_limits.py; here 1,000
  sessions on as many connections, abandoned, and their expiry;
- a client that stops reading: test_security_limits.py (outbound_buffer).

Backends: servers/server.py (`good`, the healthy one) and servers/chaos_backend.py (`chaos` over
stdio, `web` over Streamable HTTP), each fault a tool of the latter.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import chaos
import harness
from chaos import Outcome, fault_round, victim_call
from harness import gw_client, invoke, text_of

pytestmark = pytest.mark.anyio

VICTIM_TIMEOUT_S = 2
#: A victim's error must come within its timeout plus this (two shared cores, a debug build).
SLACK_S = 1.5
#: An error the gateway can see at once (a dead process, a dropped connection) must not wait for
#: the timeout (2 s): it comes in ~0.02-0.4 s; 1.5 s leaves room for a loaded CI machine (a
#: dropped HTTP answer took 1.001 s once under load 9).
PROMPT_S = 1.5


class Env:
    """The module's gateway and the HTTP chaos backend (which a test may kill and start again)."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.web = chaos.start_chaos_http("web", log_dir)
        self.port = int(self.web.url.split(":")[2].split("/")[0])
        cfg = harness.make_config({
            "good": harness.stdio_backend("good", timeout="10s"),
            "chaos": chaos.chaos_stdio("chaos", timeout=f"{VICTIM_TIMEOUT_S}s"),
            "web": harness.http_backend(self.web, "streamable_http", timeout=f"{VICTIM_TIMEOUT_S}s"),
        })
        cfg["meta_mcp"]["warm_start"] = ["*"]
        cfg["server"]["limits"] = {"header_timeout": "1s", "idle_timeout": "5s"}
        self.gw = harness.start_gateway(harness.write_config(log_dir / "chaos.yaml", cfg), log_dir)
        #: The healthy clients, connected for the whole module.
        self.load = chaos.HealthyLoad(self.gw)

    def restart_web(self) -> None:
        """A new chaos HTTP process on the same port (after a test killed the old one)."""
        self.web.stop()
        self.web = chaos.start_chaos_http("web", self.log_dir, port=self.port)

    def close(self) -> None:
        self.load.close()
        self.gw.stop()
        self.web.stop()


@pytest.fixture(scope="module")
def env(log_dir: Path):
    e = Env(log_dir)
    try:
        yield e
    finally:
        e.close()


async def answers(gw: harness.Gateway, server: str, timeout: float = 10) -> None:
    """`server` answers an echo again (within `timeout`; a backend that died is restarted on a call)."""
    last = ""
    with anyio.fail_after(timeout):
        async with gw_client(gw) as c:
            while True:
                out = await _try_echo(c, server)
                if out == "back":
                    return
                last = out
                await anyio.sleep(0.2)
    raise AssertionError(f"{server} does not answer: {last}")


async def _try_echo(c: Any, server: str) -> str:
    try:
        r = await invoke(c, server, "echo", {"text": "back"})
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"
    return text_of(r) if not r.is_error else f"isError: {text_of(r)}"


async def backend_pid(gw: harness.Gateway, server: str) -> int:
    async with gw_client(gw) as c:
        pid = int(text_of(await invoke(c, server, "pid", {})))
    gw.known_backend_pids.add(pid)
    return pid


def assert_memory_returned(gw: harness.Gateway, rec: chaos.Round, timeout: float = 15) -> None:
    """After a fault that moved tens of megabytes, RSS is back near its level before within
    `timeout` (the long run checks it after 10,000 more calls too): large buffers must go back
    to the system. A stream still being read after its call timed out may hold memory a while."""
    before = rec.before["rss_mb"]
    deadline = time.monotonic() + timeout
    while (now := chaos.rss_mb(gw.proc.pid)) > before * (1 + chaos.MEMORY_TOLERANCE) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert now <= before * (1 + chaos.MEMORY_TOLERANCE), (
        f"RSS {before:.1f} MB before, {now:.1f} MB {timeout:.0f} s after (peak {rec.peak_rss_mb:.1f} MB)")


def assert_timed_out(outcome: Outcome | None) -> None:
    assert outcome is not None and outcome.error is not None, f"the victim got an answer: {outcome}"
    assert f"timed out after {VICTIM_TIMEOUT_S} s" in outcome.error, outcome.summary()
    assert VICTIM_TIMEOUT_S - 0.3 < outcome.seconds < VICTIM_TIMEOUT_S + SLACK_S, outcome


# ------------------------------------------------------------------------------------------
# kill -9 mid-call
# ------------------------------------------------------------------------------------------


async def test_kill_9_mid_call_stdio(env: Env) -> None:
    gw = env.gw
    pid = await backend_pid(gw, "chaos")
    killed: dict[str, float] = {}

    async def victim() -> Outcome:
        async with anyio.create_task_group() as tg:
            async def kill() -> None:
                await anyio.sleep(0.4)
                os.kill(pid, signal.SIGKILL)
                killed["at"] = time.monotonic()
            tg.start_soon(kill)
            return await victim_call(gw, "chaos", "hang")

    rec, out = await fault_round(gw, "kill -9 mid-call (stdio)",
                                 "`hang` on the stdio backend; 0.4 s in, SIGKILL to the backend process",
                                 victim, recover=lambda: answers(gw, "chaos"), load=env.load)
    assert out is not None and out.error is not None, out
    assert "signal 9" in out.error or "exited" in out.error or "closed" in out.error, out.summary()
    assert out.seconds < 0.4 + PROMPT_S, f"the gateway noticed the death after {out.seconds:.2f}s"
    assert harness.wait_dead([pid], 2) == []
    assert await backend_pid(gw, "chaos") != pid  # restarted on the next call


async def test_kill_9_mid_call_http(env: Env) -> None:
    gw = env.gw

    async def victim() -> Outcome:
        async with anyio.create_task_group() as tg:
            async def kill() -> None:
                await anyio.sleep(0.4)
                harness.kill_group(env.web.proc)
            tg.start_soon(kill)
            return await victim_call(gw, "web", "hang")

    async def recover() -> None:
        env.restart_web()
        await answers(gw, "web")

    rec, out = await fault_round(gw, "kill -9 mid-call (HTTP)",
                                 "`hang` on the Streamable HTTP backend; 0.4 s in, SIGKILL to the backend "
                                 "process; then a new one on the same port", victim, recover=recover, load=env.load)
    assert out is not None and out.error is not None, out
    assert out.seconds < 0.4 + PROMPT_S, f"the gateway noticed the dropped connection after {out.seconds:.2f}s"


# ------------------------------------------------------------------------------------------
# a backend that hangs forever
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("server", ["chaos", "web"])
async def test_backend_hangs_forever(env: Env, server: str) -> None:
    gw = env.gw
    rec, out = await fault_round(gw, f"hangs forever ({'stdio' if server == 'chaos' else 'HTTP'})",
                                 f"`hang` (sleeps a day) on `{server}`, timeout {VICTIM_TIMEOUT_S}s",
                                 lambda: victim_call(gw, server, "hang"), recover=lambda: answers(gw, server), load=env.load)
    assert_timed_out(out)


# ------------------------------------------------------------------------------------------
# non-JSON, half a line
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("server", ["chaos", "web"])
async def test_non_json_output(env: Env, server: str) -> None:
    gw = env.gw
    rec, out = await fault_round(gw, f"non-JSON answer ({'stdio' if server == 'chaos' else 'HTTP'})",
                                 "`garbage`: a line that is not JSON (HTTP: a 200 application/json body that is "
                                 "not JSON), then nothing", lambda: victim_call(gw, server, "garbage"),
                                 recover=lambda: answers(gw, server), load=env.load)
    assert out is not None and out.error is not None, out
    if server == "chaos":
        # A line that is not JSON cannot be tied to a call: the call waits for its answer.
        assert_timed_out(out)
    else:
        # The POST's whole answer came and held no response: nothing else will come.
        assert "ended without a JSON-RPC response" in out.error, out.summary()
        assert out.seconds < PROMPT_S, f"the victim waited {out.seconds:.2f}s for an answer that cannot come"


@pytest.mark.parametrize("server,then", [("chaos", "hang"), ("chaos", "exit"), ("web", "hang")])
async def test_half_a_line(env: Env, server: str, then: str) -> None:
    gw = env.gw
    what = {("chaos", "hang"): "`half_line`: the first half of its own answer, no newline, then nothing",
            ("chaos", "exit"): "`half_line`: the first half of its own answer, no newline, then the process exits",
            ("web", "hang"): "`half_line`: a JSON body cut in half, then the connection drops"}[(server, then)]
    rec, out = await fault_round(gw, f"half a line ({'stdio' if server == 'chaos' else 'HTTP'}, then {then})", what,
                                 lambda: victim_call(gw, server, "half_line", {"then": then}),
                                 recover=lambda: answers(gw, server), load=env.load)
    assert out is not None and out.error is not None, out
    if then == "exit" or server == "web":
        assert out.seconds < PROMPT_S, f"the victim waited {out.seconds:.2f}s for an answer that cannot come"
    else:
        assert_timed_out(out)


# ------------------------------------------------------------------------------------------
# volume: a 10 MB result, 100 MB without a newline
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("server", ["chaos", "web"])
async def test_10_mb_result(env: Env, server: str) -> None:
    gw = env.gw
    rec, out = await fault_round(gw, f"10 MB result ({'stdio' if server == 'chaos' else 'HTTP'})",
                                 "`big`: a successful result of 10 MiB of text",
                                 lambda: victim_call(gw, server, "big", {"mb": 10}), load=env.load)
    assert out is not None and out.error is None, out.summary()
    assert out.text == "x" * (10 * 1024 * 1024)
    assert out.seconds < VICTIM_TIMEOUT_S + SLACK_S, out.seconds
    assert_memory_returned(gw, rec)


@pytest.mark.parametrize("server", ["chaos", "web"])
async def test_100_mb_without_newline(env: Env, server: str) -> None:
    gw = env.gw
    what = ("`endless`: 100 MiB on stdout without a newline, then nothing" if server == "chaos" else
            "`endless`: an event stream whose `data:` line runs 100 MiB without a newline, then nothing")
    rec, out = await fault_round(gw, f"100 MB without a newline ({'stdio' if server == 'chaos' else 'HTTP'})", what,
                                 lambda: victim_call(gw, server, "endless", {"mb": 100}),
                                 recover=lambda: answers(gw, server), load=env.load)
    # The gateway bounds a line (stdio) and an event (SSE) at 64 MiB: past that it gives up on
    # the backend's output, and the call fails then (before its timeout, unless the machine is slow).
    assert out is not None and out.error is not None, out
    assert out.seconds < VICTIM_TIMEOUT_S + SLACK_S, out
    assert ("LineTooLong" if server == "chaos" else "exceeds 67108864 bytes") in out.error \
        or f"timed out after {VICTIM_TIMEOUT_S} s" in out.error, out.summary()
    if server == "chaos":
        assert_memory_returned(gw, rec)
    # Over HTTP what the backend sent faster than the gateway parsed sits in 64 KiB chunks
    # (nothing pushes back on a backend's event stream): freed, but returned to the system by
    # the periodic malloc_trim (every 30 s). The long run checks it, after 10,000 calls.


# ------------------------------------------------------------------------------------------
# an SSE stream closed mid-answer
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["abort", "end"])
async def test_sse_stream_closed_mid_answer(env: Env, how: str) -> None:
    gw = env.gw
    what = {"abort": "`sse_cut`: a progress event, then half the answer event; the connection drops",
            "end": "`sse_cut`: a progress event, then half the answer event; the stream ends cleanly"}[how]
    rec, out = await fault_round(gw, f"SSE stream closed mid-answer ({how})", what,
                                 lambda: victim_call(gw, "web", "sse_cut", {"how": how}),
                                 recover=lambda: answers(gw, "web"), load=env.load)
    assert out is not None and out.error is not None, out
    assert out.seconds < PROMPT_S, f"the victim waited {out.seconds:.2f}s on a stream that had ended"


# ------------------------------------------------------------------------------------------
# a notification flood
# ------------------------------------------------------------------------------------------

#: Notifications per flood. Progress notifications all reach the victim's SDK client, which takes
#: ~1,600 a second: fewer of them, or the test waits on the client.
FLOOD_N = {"log": 20_000, "list_changed": 20_000, "progress": 5_000}
#: Fixed (LogFloodGate, docs/reliability.md): the gateway relayed each log notification to the
#: caller (redaction, encoding, one write and flush each) on the event loop that reads the
#: backend's pipe, so a flood stalled the other connections served by that loop; now at most 200
#: a second are relayed. The latency bound is enforced again (no known_slow).


@pytest.mark.parametrize("server,kind", [("chaos", "log"), ("chaos", "list_changed"), ("web", "progress")])
async def test_notification_flood(env: Env, server: str, kind: str) -> None:
    gw = env.gw
    n = FLOOD_N[kind]
    seen: dict[str, int] = {}
    notes: list[str] = []

    async def victim() -> Outcome:
        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen["progress"] = seen.get("progress", 0) + 1

        kw: dict[str, Any] = {"progress_callback": on_progress} if kind == "progress" else {}
        out = await victim_call(gw, server, "flood", {"n": n, "kind": kind}, **kw)
        if kind == "progress":
            notes.append(f"the victim's SDK client received {seen.get('progress', 0):,} of the {n:,} "
                         "progress notifications")
        return out

    rec, out = await fault_round(gw, f"notification flood ({'stdio' if server == 'chaos' else 'HTTP'}, {kind})",
                                 f"`flood`: {n:,} notifications ({kind}) as fast as they can be written, "
                                 "then the answer", victim, recover=lambda: answers(gw, server), notes=notes, load=env.load)
    # Answered, or (the flood outlasting it) timed out. Over HTTP the progress notifications
    # queued before the error reach the victim's SDK client first: it may take a while longer.
    assert out is not None
    if out.error is not None:
        assert f"timed out after {VICTIM_TIMEOUT_S} s" in out.error, out.summary()
        assert out.seconds < VICTIM_TIMEOUT_S + SLACK_S + (3 if kind == "progress" else 0), out
    else:
        assert out.text == f"flooded {n}", out.summary()


# ------------------------------------------------------------------------------------------
# a client that disconnects mid-call
# ------------------------------------------------------------------------------------------

CLIENT_SCRIPT = textwrap.dedent("""
    import anyio, sys
    from mcp import Client

    async def main():
        async with Client(sys.argv[1], mode="legacy", read_timeout_seconds=60) as c:
            print("CALLING", flush=True)
            await c.call_tool("gateway_invoke", {"server": "chaos", "tool": "wait_cancel",
                                                 "arguments": {"seconds": 20, "marker": sys.argv[2]}})

    anyio.run(main)
""")


async def test_client_disconnects_mid_call(env: Env, tmp_path: Path) -> None:
    """An official-SDK client process is killed (SIGKILL) while its call runs. The spec says a
    dropped connection is not a cancellation (a client cancels with notifications/cancelled), so
    the call runs on; it must end by its backend's timeout (2 s), the backend told to cancel it
    (`wait_cancel` writes its marker when cancelled), and nothing of the dead client's may stay."""
    gw = env.gw
    notes: list[str] = []
    marker = tmp_path / "cancelled.txt"
    script = tmp_path / "client.py"
    script.write_text(CLIENT_SCRIPT)

    async def victim() -> Outcome:
        proc = subprocess.Popen([sys.executable, str(script), gw.url, str(marker)], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        harness._register(proc)
        assert proc.stdout is not None
        line = await anyio.to_thread.run_sync(proc.stdout.readline)
        assert line.strip() == b"CALLING", line
        t0 = time.monotonic()
        await anyio.sleep(0.5)
        harness.kill_group(proc)
        proc.wait(5)
        with anyio.move_on_after(VICTIM_TIMEOUT_S + 5):
            while not marker.exists():
                await anyio.sleep(0.05)
        seconds = time.monotonic() - t0
        notes.append(f"the backend was told to cancel {seconds:.2f}s after the call was sent (its timeout: "
                     f"{VICTIM_TIMEOUT_S} s; the client died 0.5 s in)" if marker.exists()
                     else f"the backend call was not cancelled within {VICTIM_TIMEOUT_S + 5} s")
        return Outcome(seconds, error=marker.read_text() if marker.exists() else None)

    rec, out = await fault_round(gw, "client disconnects mid-call",
                                 "an SDK client process calls `wait_cancel` (20 s) on `chaos` (timeout 2 s) and is "
                                 "killed (SIGKILL) 0.5 s in", victim, recover=lambda: answers(gw, "chaos"), notes=notes, load=env.load)
    assert out is not None and out.error == "cancelled", "the abandoned call was never cancelled at the backend"
    assert out.seconds < VICTIM_TIMEOUT_S + SLACK_S, out


# ------------------------------------------------------------------------------------------
# slow-loris clients
# ------------------------------------------------------------------------------------------

LORIS = 200


async def test_slow_loris_clients(env: Env) -> None:
    """LORIS connections trickle a request (head byte by byte; or a complete head, then the body a
    few bytes at a time) while the healthy clients call: the healthy calls keep their latency, the
    trickling connections are closed (header_timeout 1 s, for the body too), the fds come back."""
    gw = env.gw
    notes: list[str] = []
    session = harness.RawSession(gw.url)
    session.initialize()
    body = json.dumps({"jsonrpc": "2.0", "id": 5, "method": "ping"}).encode()
    head = (f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{gw.port}\r\nContent-Type: application/json\r\n"
            f"Accept: {harness.ACCEPT_BOTH}\r\nMcp-Session-Id: {session.session_id}\r\n"
            f"Content-Length: {len(body) * 100}\r\n\r\n").encode()

    def trickle(deadline: float) -> dict[str, int]:
        socks: list[tuple[socket.socket, bytes]] = []
        for i in range(LORIS):
            s = socket.create_connection(("127.0.0.1", gw.port))
            s.setblocking(False)
            # half trickle their head; half send the head whole and trickle the body
            socks.append((s, head if i % 2 == 0 else b""))
            if i % 2:
                s.sendall(head)
        sent = 0
        open_ = set(range(LORIS))
        while time.monotonic() < deadline and open_:
            for i in list(open_):
                s, rest = socks[i]
                piece = rest[:2] if rest else body[:4]
                try:
                    s.send(piece)
                    if rest:
                        socks[i] = (s, rest[2:])
                    sent += 1
                except (BrokenPipeError, ConnectionResetError, BlockingIOError):
                    open_.discard(i)
                    continue
                try:
                    if s.recv(4096, socket.MSG_PEEK) == b"":
                        open_.discard(i)
                except BlockingIOError:
                    pass
                except (ConnectionResetError, OSError):
                    open_.discard(i)
            time.sleep(0.25)
        result = {"still_open": len(open_), "head_trickled_open": len([i for i in open_ if i % 2 == 0]),
                  "body_trickled_open": len([i for i in open_ if i % 2 == 1]), "sends": sent}
        for s, _ in socks:
            s.close()
        return result

    async def victim() -> Outcome:
        t0 = time.monotonic()
        result = await anyio.to_thread.run_sync(trickle, t0 + 4.0)
        notes.append(f"after 4 s of trickling: {result}")
        return Outcome(time.monotonic() - t0, text=json.dumps(result))

    try:
        rec, out = await fault_round(gw, "slow-loris clients",
                                     f"{LORIS} connections: half send their head 2 bytes per 0.25 s, half a complete "
                                     "head then the body 4 bytes per 0.25 s; header_timeout 1s; 4 s", victim, notes=notes, load=env.load)
    finally:
        session.__exit__()
    assert out is not None and out.text is not None
    left = json.loads(out.text)
    assert left["head_trickled_open"] == 0, f"connections trickling their head were kept open: {left}"
    assert left["body_trickled_open"] == 0, f"connections trickling their body were kept open: {left}"


# ------------------------------------------------------------------------------------------
# 1,000 sessions opened and abandoned
# ------------------------------------------------------------------------------------------

SESSIONS = 1000


async def test_1000_sessions_opened_and_abandoned(log_dir: Path) -> None:
    """1,000 sessions, each initialized on its own connection (a third also open their GET event
    stream), then abandoned: connections dropped, no DELETE. Healthy clients call throughout; the
    abandoned sessions expire (session_idle_timeout 1s) and a new session can be opened again."""
    cfg = harness.make_config({"good": harness.stdio_backend("good", timeout="10s")})
    cfg["meta_mcp"]["warm_start"] = ["*"]
    cfg["server"]["limits"] = {"max_sessions": SESSIONS + 50, "session_idle_timeout": "1s"}
    gw = harness.start_gateway(harness.write_config(log_dir / "sessions.yaml", cfg), log_dir)
    notes: list[str] = []

    def open_and_abandon() -> dict[str, int]:
        opened = streams = refused = 0
        held: list[socket.socket] = []
        init = json.dumps(harness.initialize_body("2025-06-18")).encode()
        for i in range(SESSIONS):
            s = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
            s.sendall((f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{gw.port}\r\nContent-Type: application/json\r\n"
                       f"Accept: {harness.ACCEPT_BOTH}\r\nContent-Length: {len(init)}\r\n\r\n").encode() + init)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
            if status != 200:
                refused += 1
                s.close()
                continue
            opened += 1
            sid = next((l.split(b":", 1)[1].strip().decode() for l in data.split(b"\r\n")
                        if l.lower().startswith(b"mcp-session-id:")), "")
            if i % 3 == 0:
                s2 = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
                s2.sendall((f"GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:{gw.port}\r\nAccept: text/event-stream\r\n"
                            f"Mcp-Session-Id: {sid}\r\nMCP-Protocol-Version: 2025-06-18\r\n\r\n").encode())
                held.append(s2)
                streams += 1
            held.append(s)
        for s in held:  # abandoned: the connections drop, nobody says DELETE
            s.close()
        return {"opened": opened, "streams": streams, "refused": refused}

    async def victim() -> Outcome:
        t0 = time.monotonic()
        result = await anyio.to_thread.run_sync(open_and_abandon)
        notes.append(f"{result}")
        return Outcome(time.monotonic() - t0, text=json.dumps(result))

    async def recover() -> None:
        # The abandoned sessions expire (checked every quarter of the timeout); then there is
        # room for as many new ones again.
        await anyio.sleep(2)
        with httpx.Client(timeout=10) as c:
            statuses = [c.post(gw.url, json=harness.initialize_body("2025-06-18"),
                               headers={"Accept": harness.ACCEPT_BOTH, "Content-Type": "application/json"}).status_code
                        for _ in range(SESSIONS)]
        assert statuses.count(200) == SESSIONS, f"after expiry: {sorted(set(statuses))}"

    try:
        rec, out = await fault_round(gw, "1,000 sessions opened and abandoned",
                                     f"{SESSIONS} initialize requests on as many connections, a third with their GET "
                                     "stream open; all dropped without DELETE; session_idle_timeout 1s", victim,
                                     recover=recover, notes=notes)
        assert out is not None and out.text is not None
        opened = json.loads(out.text)
        assert opened["opened"] == SESSIONS, opened
    finally:
        gw.stop()
