"""Test harness for the gateway interop suite.

Everything that starts a process lives here: free ports, the backend test servers (stdio command
lines and HTTP processes), gateway configs, the gateway itself (HTTP and stdio front ends),
readiness waits, raw Streamable HTTP helpers, and the orphan check.

Every process started through this module is registered in `_LIVE` and killed (whole process
group) at interpreter exit, so a failing or interrupted run leaves nothing behind.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import signal
import socket
import shutil
import subprocess
import tempfile
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SERVER_PY = HERE / "servers" / "server.py"
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent

# Must match servers/server.py.
PNG_1X1_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

#: One id per pytest run; every backend started by this run carries it in its command line
#: (`--tag`) so the orphan check can find stragglers by scanning /proc.
RUN_TAG = f"interop-{uuid.uuid4().hex[:12]}"

META_TOOLS = {"gateway_list_servers", "gateway_list_tools", "gateway_search_tools", "gateway_invoke"}
BACKEND_TOOLS = {"echo", "add", "image", "fail", "progress", "slow", "crash", "pid", "hang", "getenv", "leak",
                 "ask", "log_echo", "wait_cancel", "grow", "subscriptions", "touch", "era", "deploy", "request_headers",
                 "request_meta", "sample", "roots"}
HANDSHAKE_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")


# --------------------------------------------------------------------------------------------
# process bookkeeping
# --------------------------------------------------------------------------------------------

_LIVE: dict[int, subprocess.Popen[Any]] = {}


def _register(proc: subprocess.Popen[Any]) -> None:
    _LIVE[proc.pid] = proc


def kill_group(proc: subprocess.Popen[Any], sig: int = signal.SIGKILL) -> None:
    """Signal the process group the process leads (we start every child with start_new_session)."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def _cleanup_all() -> None:
    for proc in list(_LIVE.values()):
        if proc.poll() is None:
            kill_group(proc)
        else:
            # the leader may be gone while its group lives on
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    for proc in list(_LIVE.values()):
        try:
            proc.wait(timeout=2)
        except Exception:
            pass
    _LIVE.clear()
    for pid in tagged_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


atexit.register(_cleanup_all)


def pid_alive(pid: int) -> bool:
    """True if `pid` runs and is not a zombie (a zombie has exited; only its parent has not reaped it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        state = stat.rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, IndexError, ProcessLookupError):
        return False


def wait_dead(pids: Iterable[int], timeout: float) -> list[int]:
    """Wait until every pid is dead; return the ones still alive after `timeout`."""
    pids = list(pids)
    deadline = time.monotonic() + timeout
    while True:
        alive = [p for p in pids if pid_alive(p)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def tagged_pids(tag: str = RUN_TAG) -> list[int]:
    """Live (non-zombie) processes whose command line or environment carries `tag`."""
    found = []
    needle = tag.encode()
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        if pid == me:
            continue
        try:
            blob = (entry / "cmdline").read_bytes()
            if needle not in blob:
                blob = (entry / "environ").read_bytes()
        except (FileNotFoundError, PermissionError, ProcessLookupError, OSError):
            continue
        if needle in blob and pid_alive(pid):
            found.append(pid)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path | None, lines: int = 60) -> str:
    if path is None or not path.exists():
        return "<no log>"
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


# --------------------------------------------------------------------------------------------
# backend test servers
# --------------------------------------------------------------------------------------------


def server_argv(name: str, transport: str = "stdio", *extra: str, tag: str = RUN_TAG) -> list[str]:
    """argv of servers/server.py with this run's tag (absolute python and script paths)."""
    return [PYTHON, str(SERVER_PY), "--transport", transport, "--name", name, "--tag", tag, *extra]


def server_command(name: str, *extra: str, tag: str = RUN_TAG) -> str:
    """The stdio command line for a gateway config (`command:` is one string)."""
    return " ".join(_shell_quote(a) for a in server_argv(name, "stdio", *extra, tag=tag))


def _shell_quote(s: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./:=@%+-]+", s):
        return s
    return "'" + s.replace("'", "'\"'\"'") + "'"


@dataclass
class HttpBackend:
    name: str
    transport: str  # "streamable-http" | "sse"
    url: str
    proc: subprocess.Popen[Any]
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM a helper process started by this harness, SIGKILL its group after 3 s, and forget it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            proc.wait(timeout=3)
    _LIVE.pop(proc.pid, None)


def start_http_backend(
    name: str, transport: str, log_dir: Path, *extra: str, timeout: float = 20.0
) -> HttpBackend:
    """Start servers/server.py on an OS-chosen port; return once it printed `READY <url>`."""
    assert transport in ("streamable-http", "sse")
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"backend-{name}.log"
    errf = open(log, "ab")
    proc = subprocess.Popen(
        server_argv(name, transport, "--port", "0", *extra),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=errf,
        start_new_session=True,
    )
    errf.close()
    _register(proc)
    url = wait_for_ready_line(proc, log, timeout, f"backend {name} ({transport})")
    return HttpBackend(name, transport, url, proc, log)


def wait_for_ready_line(proc: subprocess.Popen[Any], log: Path, timeout: float, what: str) -> str:
    """The URL a helper process prints as `READY <url>` on stdout; kills it and raises (with its
    log) if it exits or stays silent for `timeout` seconds."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    os.set_blocking(proc.stdout.fileno(), False)
    buf = b""
    while time.monotonic() < deadline:
        chunk = proc.stdout.read()
        if chunk:
            buf += chunk
            m = re.search(rb"READY (\S+)\n", buf)
            if m:
                return m.group(1).decode()
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    kill_group(proc)
    raise RuntimeError(f"{what} did not become ready:\n{tail(log)}")


# --------------------------------------------------------------------------------------------
# gateway config
# --------------------------------------------------------------------------------------------


def to_yaml(obj: Any, indent: int = 0) -> str:
    """Minimal block-style YAML writer (strings JSON-quoted, which is valid YAML)."""
    pad = "  " * indent
    out: list[str] = []
    if isinstance(obj, dict):
        if not obj:
            return pad + "{}\n"
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:\n{to_yaml(v, indent + 1)}")
            else:
                out.append(f"{pad}{k}: {_scalar(v)}\n")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict) and item:
                inner = to_yaml(item, indent + 1)
                out.append(f"{pad}- {inner.lstrip()}")
            else:
                out.append(f"{pad}- {_scalar(item)}\n")
    else:
        out.append(pad + _scalar(obj) + "\n")
    return "".join(out)


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, dict) and not v:
        return "{}"
    if isinstance(v, list) and not v:
        return "[]"
    return json.dumps(str(v))


def stdio_backend(name: str, *extra: str, description: str | None = None, timeout: str = "5s",
                  env: dict[str, str] | None = None, tag: str = RUN_TAG) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "command": server_command(name, *extra, tag=tag),
        "description": description or f"{name} interop test backend (stdio)",
        "timeout": timeout,
    }
    if env:
        cfg["env"] = env
    return cfg


def http_backend(b: HttpBackend, transport: str | None, description: str | None = None,
                 timeout: str = "5s") -> dict[str, Any]:
    """Config entry for an HTTP backend. transport None → key omitted (gateway default `auto`)."""
    cfg: dict[str, Any] = {
        "http_url": b.url,
        "description": description or f"{b.name} interop test backend ({b.transport})",
        "timeout": timeout,
    }
    if transport is not None:
        cfg["transport"] = transport
    return cfg


def make_config(backends: dict[str, dict[str, Any]], *, port: int = 39400,
                surfaced: list[tuple[str, str]] | None = None, request_timeout: str = "30s",
                shutdown_timeout: str = "5s", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "request_timeout": request_timeout,
            "shutdown_timeout": shutdown_timeout,
        },
        "meta_mcp": {
            "enabled": True,
            "surfaced_tools": [{"server": s, "tool": t} for s, t in (surfaced or [])],
        },
        "backends": backends,
        # The built-in capability starter pack is off here so these tests see exactly their
        # backends; test_gateway_capabilities.py covers capabilities in the catalog.
        "capabilities": {"enabled": False},
    }
    if extra:
        cfg.update(extra)
    return cfg


def write_config(path: Path, cfg: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_yaml(cfg))
    return path


# --------------------------------------------------------------------------------------------
# the gateway
# --------------------------------------------------------------------------------------------


def gateway_bin() -> Path:
    """Path of the gateway binary, or skip/fail the test when it is missing.

    Missing binary: a clear skip by default; a failure when MCP_INTEROP_REQUIRE_GATEWAY=1
    (scripts/test.sh and CI set it, so a missing build can never pass as green).
    """
    p = Path(os.environ.get("MCP_GATEWAY_BIN", REPO_ROOT / ".build" / "debug" / "mcp-gateway"))
    if not (p.is_file() and os.access(p, os.X_OK)):
        msg = f"gateway binary not found at {p} (build it with `swift build`, or set MCP_GATEWAY_BIN)"
        if os.environ.get("MCP_INTEROP_REQUIRE_GATEWAY") == "1":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return p


# Persisted catalogs of this run stay in a temporary directory, not in the user's ~/.cache.
CACHE_DIR = tempfile.mkdtemp(prefix="mcp-gateway-interop-cache-")
atexit.register(shutil.rmtree, CACHE_DIR, True)


def gateway_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["INTEROP_RUN_TAG"] = RUN_TAG  # lets tagged_pids() find the gateway too
    env["MCP_GATEWAY_CACHE_DIR"] = CACHE_DIR
    if extra:
        env.update(extra)
    return env


#: Logs of every gateway started in this run (conftest attaches their tails to failing tests).
GATEWAY_LOGS: list[Path] = []


@dataclass
class Gateway:
    config: Path
    port: int
    proc: subprocess.Popen[Any]
    log: Path
    shutdown_timeout: float = 5.0
    known_backend_pids: set[int] = field(default_factory=set)
    #: With `mtls` configured: the client context (CA, and client certificate when required)
    #: the harness itself uses for /ready and /health; the base URL is then https.
    tls: Any = None

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def verify(self) -> Any:
        """httpx's `verify=` for this gateway."""
        return self.tls if self.tls is not None else True

    @property
    def url(self) -> str:
        return f"{self.base}/mcp"

    def health(self) -> dict[str, Any]:
        r = httpx.get(f"{self.base}/health", timeout=10, verify=self.verify)
        assert r.status_code == 200, f"/health → {r.status_code}: {r.text[:500]}"
        return r.json()

    def terminate(self) -> tuple[int | None, float]:
        """SIGTERM; return (exit code or None if it did not exit in time, seconds taken)."""
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=self.shutdown_timeout + 5)
        except subprocess.TimeoutExpired:
            rc = None
        return rc, time.monotonic() - t0

    def stop(self) -> None:
        """Best-effort teardown: SIGTERM, then SIGKILL the gateway's process group and strays."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=self.shutdown_timeout + 5)
            except subprocess.TimeoutExpired:
                pass
        kill_group(self.proc)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for pid in self.known_backend_pids:
            if pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        _LIVE.pop(self.proc.pid, None)


def start_gateway(config: Path, log_dir: Path, *, port: int | None = None, log_level: str = "debug",
                  env: dict[str, str] | None = None, ready_timeout: float = 40.0,
                  shutdown_timeout: float = 5.0, tls: Any = None) -> Gateway:
    """`mcp-gateway serve --config C --host 127.0.0.1 --port P`; wait for GET /ready == 200.

    `tls`: an `ssl.SSLContext` for a gateway configured with `mtls` (https)."""
    binary = gateway_bin()
    port = port or free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"gateway-{port}.log"
    GATEWAY_LOGS.append(log)
    logf = open(log, "ab")
    argv = [str(binary), "serve", "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
            "--log-level", log_level]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                            env=gateway_env(env), start_new_session=True)
    logf.close()
    _register(proc)
    gw = Gateway(config, port, proc, log, shutdown_timeout, tls=tls)
    try:
        wait_ready(gw, ready_timeout)
    except BaseException:
        gw.stop()
        raise
    return gw


def wait_ready(gw: Gateway, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if gw.proc.poll() is not None:
            raise RuntimeError(f"gateway exited with {gw.proc.returncode} before ready:\n{tail(gw.log)}")
        try:
            r = httpx.get(f"{gw.base}/ready", timeout=2, verify=gw.verify)
            if r.status_code == 200:
                return
            last = f"{r.status_code} {r.text[:200]}"
        except httpx.HTTPError as e:
            last = repr(e)
        time.sleep(0.1)
    raise RuntimeError(f"gateway not ready after {timeout}s (last: {last}):\n{tail(gw.log)}")


@contextmanager
def running_gateway(config: Path, log_dir: Path, **kw: Any) -> Iterator[Gateway]:
    gw = start_gateway(config, log_dir, **kw)
    try:
        yield gw
    finally:
        gw.stop()


def gateway_stdio_params(config: Path, env: dict[str, str] | None = None):
    """StdioServerParameters that run `mcp-gateway --stdio --config PATH`."""
    from mcp import StdioServerParameters

    e = {"INTEROP_RUN_TAG": RUN_TAG, "MCP_GATEWAY_CACHE_DIR": CACHE_DIR}
    if env:
        e.update(env)
    return StdioServerParameters(command=str(gateway_bin()), args=["--stdio", "--config", str(config)], env=e)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the gateway binary with `args` (e.g. `config validate PATH`), capturing output."""
    return subprocess.run([str(gateway_bin()), *args], capture_output=True, text=True, timeout=timeout,
                          env=gateway_env(env), stdin=subprocess.DEVNULL)


# --------------------------------------------------------------------------------------------
# raw Streamable HTTP (httpx, no SDK)
# --------------------------------------------------------------------------------------------

ACCEPT_BOTH = "application/json, text/event-stream"


def raw_request(port: int, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes, bytes]:
    """(status, head, what followed the head) of one request on a fresh connection, sent byte for
    byte as given (Host defaults to the gateway's own address; the connection closes after)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        given = {k.lower() for k in headers}
        lines = [f"{method} {path} HTTP/1.1"]
        if "host" not in given:
            lines.append(f"Host: 127.0.0.1:{port}")
        if "connection" not in given:
            lines.append("Connection: close")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 "), data[:200]
        return int(head.split(b"\r\n", 1)[0].split(b" ")[1]), head, rest


def parse_sse(text: str) -> list[dict[str, Any]]:
    """JSON payloads of the `message` events in an SSE body (events without data are skipped)."""
    out: list[dict[str, Any]] = []
    event, data = "message", []
    for raw in text.replace("\r\n", "\n").split("\n") + [""]:
        if raw == "":
            if data and event == "message":
                payload = "\n".join(data)
                if payload.strip():
                    out.append(json.loads(payload))
            event, data = "message", []
        elif raw.startswith(":"):
            continue
        else:
            k, _, v = raw.partition(":")
            v = v[1:] if v.startswith(" ") else v
            if k == "event":
                event = v
            elif k == "data":
                data.append(v)
    return out


def response_messages(r: httpx.Response) -> list[dict[str, Any]]:
    """All JSON-RPC messages in a POST answer, JSON or SSE."""
    ctype = r.headers.get("content-type", "")
    if ctype.startswith("text/event-stream"):
        return parse_sse(r.text)
    if ctype.startswith("application/json"):
        body = r.json()
        return body if isinstance(body, list) else [body]
    raise AssertionError(f"unexpected content-type {ctype!r} (status {r.status_code}): {r.text[:300]}")


def final_response(msgs: list[dict[str, Any]], req_id: Any) -> dict[str, Any]:
    for m in msgs:
        if m.get("id") == req_id and ("result" in m or "error" in m):
            return m
    raise AssertionError(f"no response with id {req_id!r} in {msgs!r}")


def initialize_body(version: str = "2025-11-25", req_id: Any = 1) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": req_id,
        "method": "initialize",
        "params": {
            "protocolVersion": version,
            "capabilities": {},
            "clientInfo": {"name": "interop-raw", "version": "0"},
        },
    }


class RawSession:
    """A hand-driven Streamable HTTP session (for wire-level assertions)."""

    def __init__(self, url: str, version: str = "2025-11-25", timeout: float = 30,
                 credentials: dict[str, str] | None = None):
        self.url = url
        self.version = version
        # Sent with every request (an Authorization or X-API-Key header).
        self.credentials = dict(credentials or {})
        self.client = httpx.Client(timeout=timeout)
        self.session_id: str | None = None
        self.next_id = 1
        self.init_result: dict[str, Any] | None = None

    def __enter__(self) -> RawSession:
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if self.session_id:
                self.client.delete(self.url, headers=self.headers())
        except httpx.HTTPError:
            pass
        self.client.close()

    def headers(self, **extra: str) -> dict[str, str]:
        h = {"Accept": ACCEPT_BOTH, "Content-Type": "application/json", **self.credentials}
        if self.session_id:
            h["Mcp-Session-Id"] = self.session_id
        if self.init_result is not None:
            h["MCP-Protocol-Version"] = self.init_result["protocolVersion"]
        h.update(extra)
        return h

    def post(self, body: Any, **headers: str) -> httpx.Response:
        return self.client.post(self.url, json=body, headers=self.headers(**headers))

    def initialize(self) -> dict[str, Any]:
        r = self.client.post(self.url, json=initialize_body(self.version, 0),
                             headers={"Accept": ACCEPT_BOTH, "Content-Type": "application/json", **self.credentials})
        assert r.status_code == 200, f"initialize → {r.status_code}: {r.text[:500]}"
        sid = r.headers.get("mcp-session-id")
        assert sid, f"initialize answer has no Mcp-Session-Id header: {dict(r.headers)}"
        assert re.fullmatch(r"[\x21-\x7e]+", sid), f"session id has non-visible-ASCII characters: {sid!r}"
        self.session_id = sid
        resp = final_response(response_messages(r), 0)
        assert "result" in resp, resp
        self.init_result = resp["result"]
        n = self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert n.status_code == 202, f"notifications/initialized → {n.status_code}: {n.text[:300]}"
        return self.init_result

    def request(self, method: str, params: dict[str, Any] | None = None, **headers: str) -> tuple[httpx.Response, list[dict[str, Any]], dict[str, Any]]:
        """POST one request; return (response, every message received, the final response).

        An SSE answer is read incrementally and abandoned once the final response arrived, so a
        server that keeps the stream open after answering cannot hang the test.
        """
        rid = self.next_id
        self.next_id += 1
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            body["params"] = params
        with self.client.stream("POST", self.url, json=body, headers=self.headers(**headers)) as r:
            if r.status_code != 200:
                r.read()
                raise AssertionError(f"{method} → {r.status_code}: {r.text[:500]}")
            if not r.headers.get("content-type", "").startswith("text/event-stream"):
                r.read()
                msgs = response_messages(r)
                return r, msgs, final_response(msgs, rid)
            msgs = []
            pending = ""
            for chunk in r.iter_text():
                pending += chunk.replace("\r\n", "\n")
                while "\n\n" in pending:
                    event, pending = pending.split("\n\n", 1)
                    msgs.extend(parse_sse(event + "\n\n"))
                    if any(m.get("id") == rid and ("result" in m or "error" in m) for m in msgs):
                        return r, msgs, final_response(msgs, rid)
            msgs.extend(parse_sse(pending))
            return r, msgs, final_response(msgs, rid)


# --------------------------------------------------------------------------------------------
# SDK-side helpers
# --------------------------------------------------------------------------------------------


def dump(result: Any) -> dict[str, Any]:
    """Wire-shaped dict of an SDK result model."""
    return result.model_dump(by_alias=True, mode="json", exclude_none=True)


def wire_call_result(result: Any) -> dict[str, Any]:
    """The fields of a CallToolResult the gateway must relay unchanged."""
    d = dump(result)
    return {
        "content": d.get("content", []),
        "structuredContent": d.get("structuredContent"),
        "isError": bool(d.get("isError", False)),
    }


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


def gw_client(gw: Gateway, mode: str = "legacy", read_timeout_seconds: float = 30, **kw: Any) -> Any:
    """An SDK `Client` for the gateway's /mcp endpoint (use as `async with`)."""
    from mcp import Client

    return Client(gw.url, mode=mode, read_timeout_seconds=read_timeout_seconds, **kw)


def keyed_client(gw: Gateway, key: str, mode: str = "legacy", read_timeout_seconds: float = 30, **kw: Any) -> Any:
    """An SDK `Client` for /mcp whose every request carries `X-API-Key: key` (use as `async with`);
    `kw` goes to the `Client` (callbacks, a message handler)."""
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    class _Keyed:
        async def __aenter__(self) -> Any:
            self.http = httpx.AsyncClient(headers={"X-API-Key": key}, timeout=read_timeout_seconds)
            await self.http.__aenter__()
            self.client = Client(streamable_http_client(gw.url, http_client=self.http), mode=mode,
                                 read_timeout_seconds=read_timeout_seconds, **kw)
            return await self.client.__aenter__()

        async def __aexit__(self, *exc: Any) -> None:
            await self.client.__aexit__(*exc)
            await self.http.__aexit__(*exc)

    return _Keyed()


def structured(result: Any) -> dict[str, Any]:
    """structuredContent of a successful meta-tool result (with a helpful failure message)."""
    assert not result.is_error, f"tool returned isError: {text_of(result)[:1000]}"
    assert result.structured_content is not None, f"no structuredContent; text was: {text_of(result)[:1000]}"
    return result.structured_content


async def search_until_top(client: Any, query: str, tool: str, *, timeout: float, pause: float = 0.1) -> None:
    """Repeats gateway_search_tools until `tool` ranks first: catalogs update in the background."""
    with anyio.fail_after(timeout):
        while True:
            found = structured(await client.call_tool("gateway_search_tools", {"query": query}))
            if found["matches"] and found["matches"][0]["tool"] == tool:
                return
            await anyio.sleep(pause)


async def invoke(client: Any, server: str, tool: str, arguments: Any = None, **kw: Any) -> Any:
    """gateway_invoke through an SDK Client."""
    return await client.call_tool(
        "gateway_invoke", {"server": server, "tool": tool, "arguments": {} if arguments is None else arguments}, **kw
    )
