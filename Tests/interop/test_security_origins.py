"""Finding 6 of issue 13 (probes p03, p04, p21): Origin and Host checks on every entry path.

Each entry path of the HTTP front end is sent the same four kinds of request:
a foreign Origin (a site, and a page on another localhost port: p21) → 403; a foreign Host
(DNS rebinding: p03) → 403, also when `allowed_origins: ["*"]` (p04); no Origin (a non-browser
client) → allowed; the gateway's own origin → allowed. Requests go over raw sockets, so the
Host header is exactly the one given and the WebSocket upgrade's status line is read as is.

Paths: POST /mcp routed (initialize) and on the lean path (a plain tools/list of a session:
PlainPostHandler), GET /mcp, DELETE /mcp, POST /mcp/{backend}, the /ws upgrade, GET /sse, POST /messages,
GET /health, GET /ready.
"""
from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import harness

ALLOWED_STATUS = {"mcp-routed": 200, "mcp-lean": 200, "mcp-get": 200, "mcp-delete": 204, "mcp-backend": 200, "ws": 101,
                  "sse": 200, "messages": 202, "health": 200, "ready": 200}


def _start(log_dir: Path, name: str, origins: list[str] | None = None) -> harness.Gateway:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    if origins is not None:
        cfg["server"]["allowed_origins"] = origins
    return harness.start_gateway(harness.write_config(log_dir / f"{name}.yaml", cfg), log_dir)


@pytest.fixture(scope="module")
def gw(log_dir: Path) -> Iterator[harness.Gateway]:
    g = _start(log_dir, "origins-default")
    yield g
    g.stop()


@pytest.fixture(scope="module")
def star_gw(log_dir: Path) -> Iterator[harness.Gateway]:
    g = _start(log_dir, "origins-star", ["*"])
    yield g
    g.stop()


@contextmanager
def _connection(port: int) -> Iterator[socket.socket]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        yield sock
    finally:
        sock.close()


def _send(sock: socket.socket, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> None:
    lines = [f"{method} {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def _read_head(sock: socket.socket) -> tuple[int, bytes]:
    """Status code of the response and whatever came after its head so far."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 "), data[:200]
    return int(head.split(b"\r\n", 1)[0].split(b" ")[1]), rest


def _status(port: int, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    status, _, rest = harness.raw_request(port, method, path, headers, body)
    return status, rest


def _rpc(method: str, rid: int = 1, **params: Any) -> bytes:
    msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
    if params:
        msg["params"] = params
    return json.dumps(msg).encode()


JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def _request(gw: harness.Gateway, path: str, variant: dict[str, str]) -> int:
    """The status the gateway gives the entry path `path` for headers `variant` (Host defaults
    to the gateway's own address)."""
    port = gw.port
    headers = {"Host": f"127.0.0.1:{port}", **variant}
    if path == "mcp-routed":
        return _status(port, "POST", "/mcp", {**JSON, **headers}, json.dumps(harness.initialize_body()).encode())[0]
    if path in ("mcp-lean", "mcp-get", "mcp-delete"):
        with harness.RawSession(gw.url) as s:  # a session opened by a non-browser client
            s.initialize()
            session = {"Mcp-Session-Id": s.session_id or "", "MCP-Protocol-Version": s.init_result["protocolVersion"]}
            if path == "mcp-lean":
                return _status(port, "POST", "/mcp", {**JSON, **session, **headers}, _rpc("tools/list"))[0]
            if path == "mcp-delete":
                return _status(port, "DELETE", "/mcp", {**session, **headers})[0]
            return _status(port, "GET", "/mcp", {"Accept": "text/event-stream", **session, **headers})[0]
    if path == "mcp-backend":
        return _status(port, "POST", "/mcp/alpha", {**JSON, **headers}, _rpc("ping"))[0]
    if path == "ws":
        return _status(port, "GET", "/ws", {"Upgrade": "websocket", "Connection": "Upgrade",
                                             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                             "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "mcp",
                                             **headers})[0]
    if path == "sse":
        return _status(port, "GET", "/sse", {"Accept": "text/event-stream", **headers})[0]
    if path == "messages":
        # A live legacy session opened without an Origin; the POST carries the variant.
        with _connection(port) as stream:
            _send(stream, "GET", "/sse", {"Host": f"127.0.0.1:{port}", "Accept": "text/event-stream"})
            status, rest = _read_head(stream)
            assert status == 200
            while b"\n\n" not in rest.replace(b"\r\n", b"\n"):
                rest += stream.recv(4096)
            endpoint = next(line for line in rest.decode().splitlines() if line.startswith("data:"))
            # Chunked transfer coding may precede the event; the endpoint line is whole.
            url = endpoint.split(":", 1)[1].strip()
            return _status(port, "POST", url, {"Content-Type": "application/json", **headers}, _rpc("ping"))[0]
    assert path in ("health", "ready"), path
    return _status(port, "GET", f"/{path}", headers)[0]


PATHS = list(ALLOWED_STATUS)


def _variants(port: int) -> dict[str, dict[str, str]]:
    return {
        "foreign-origin": {"Origin": "http://evil.example"},
        "other-localhost-port": {"Origin": "http://localhost:1"},
        "foreign-host": {"Host": f"rebind.attacker.example:{port}"},
        "foreign-host-own-origin": {"Host": f"rebind.attacker.example:{port}", "Origin": f"http://127.0.0.1:{port}"},
        "no-origin": {},
        "own-origin": {"Origin": f"http://127.0.0.1:{port}"},
        "own-origin-localhost": {"Origin": f"http://localhost:{port}", "Host": f"localhost:{port}"},
    }


REFUSED = {"foreign-origin", "other-localhost-port", "foreign-host", "foreign-host-own-origin"}


@pytest.mark.parametrize("variant", ["foreign-origin", "other-localhost-port", "foreign-host",
                                     "foreign-host-own-origin", "no-origin", "own-origin", "own-origin-localhost"])
@pytest.mark.parametrize("path", PATHS)
def test_entry_path_checks_origin_and_host(gw: harness.Gateway, path: str, variant: str) -> None:
    status = _request(gw, path, _variants(gw.port)[variant])
    expected = 403 if variant in REFUSED else ALLOWED_STATUS[path]
    assert status == expected, f"{path} with {variant}: {status}"


@pytest.mark.parametrize("path", PATHS)
def test_star_origins_keep_the_host_check(star_gw: harness.Gateway, path: str) -> None:
    port = star_gw.port
    attacker = f"http://rebind.attacker.example:{port}"
    assert _request(star_gw, path, {"Host": f"rebind.attacker.example:{port}", "Origin": attacker}) == 403
    assert _request(star_gw, path, {"Origin": "http://any.example"}) == ALLOWED_STATUS[path]


def test_refusals_say_why(gw: harness.Gateway) -> None:
    status, rest = _status(gw.port, "GET", "/ws", {"Host": f"127.0.0.1:{gw.port}", "Origin": "http://localhost:1",
                                                   "Upgrade": "websocket", "Connection": "Upgrade",
                                                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                                   "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "mcp"})
    assert status == 403
    assert b"origin 'http://localhost:1' is not allowed" in rest, rest
    status, rest = _status(gw.port, "GET", "/health", {"Host": "rebind.attacker.example"})
    assert status == 403
    assert b"Host header is not a loopback name" in rest and b"backends" not in rest, rest
