"""Issue 14: every request passes one gate, on every entry path.

A gateway with API keys (one by value, one by `key_sha256`, one admin) and a bearer token is
sent, on each HTTP entry path, requests with no credential, a wrong key, another scheme, and an
empty bearer: each gets 401 with `WWW-Authenticate: Bearer realm=...`, and the backend's echo
tool, which records every call it serves, records none. With a good key the official SDK
lists and calls tools over Streamable HTTP (both eras) and legacy SSE, and a WebSocket upgrade
succeeds. Sessions belong to their principal: another key presenting a session id gets the
same 404 as an unknown id. `/health` shows the backend map to admins only. Keys never reach
the log. Requests go over raw sockets where the exact status line matters.
"""
from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import harness

ALICE = "alice-key-5f0c2b9e81d44a7f"
OPS = "ops-key-93e1c0a7d2b84f65"
BOB = "bob-key-0d6a4c1e97f3b258"
BEARER = "bearer-token-7a1f3e9c2d"


@pytest.fixture(scope="module")
def record(log_dir: Path) -> Path:
    path = log_dir / "auth-echo-calls.txt"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def gw(log_dir: Path, record: Path) -> Iterator[harness.Gateway]:
    backend = harness.stdio_backend("alpha")
    backend["env"] = {"INTEROP_CALL_RECORD": str(record)}
    cfg = harness.make_config({"alpha": backend}, extra={"auth": {
        "bearer_token": "env:AUTH_TEST_BEARER",
        "api_keys": [
            {"name": "alice", "key": ALICE},
            {"name": "ops", "key_sha256": hashlib.sha256(OPS.encode()).hexdigest(), "admin": True},
            {"name": "bob", "key": "env:AUTH_TEST_BOB"},
        ],
    }})
    g = harness.start_gateway(harness.write_config(log_dir / "auth-gate.yaml", cfg), log_dir,
                              env={"AUTH_TEST_BEARER": BEARER, "AUTH_TEST_BOB": BOB})
    yield g
    g.stop()
    log = g.log.read_text(errors="replace")
    for secret in (ALICE, OPS, BOB, BEARER):
        assert secret not in log, "a key reached the log"


_raw = harness.raw_request


def _rpc(method: str, rid: int = 1, **params: Any) -> bytes:
    msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
    if params:
        msg["params"] = params
    return json.dumps(msg).encode()


JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
ECHO_CALL = {"name": "gateway_invoke", "arguments": {"server": "alpha", "tool": "echo", "arguments": {"text": "leak"}}}
MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}


def _alice_session(gw: harness.Gateway) -> harness.RawSession:
    s = harness.RawSession(gw.url, credentials={"X-API-Key": ALICE})
    s.initialize()
    return s


def _attempt(gw: harness.Gateway, path: str, credential: dict[str, str]) -> tuple[int, bytes]:
    """Sends entry path `path` a request that would reach the backend's echo if admitted."""
    port = gw.port
    if path == "mcp-initialize":
        status, head, _ = _raw(port, "POST", "/mcp", {**JSON, **credential}, json.dumps(harness.initialize_body()).encode())
        return status, head
    if path in ("mcp-lean", "mcp-get", "mcp-delete", "mcp-batch"):
        with _alice_session(gw) as s:
            session = {"Mcp-Session-Id": s.session_id or "", "MCP-Protocol-Version": "2025-03-26"}
            if path == "mcp-lean":
                status, head, _ = _raw(port, "POST", "/mcp", {**JSON, **session, **credential}, _rpc("tools/call", **ECHO_CALL))
            elif path == "mcp-batch":
                status, head, _ = _raw(port, "POST", "/mcp", {**JSON, **session, **credential},
                                       b"[" + _rpc("tools/call", **ECHO_CALL) + b"]")
            elif path == "mcp-get":
                status, head, _ = _raw(port, "GET", "/mcp", {"Accept": "text/event-stream", **session, **credential})
            else:
                status, head, _ = _raw(port, "DELETE", "/mcp", {**session, **credential})
            return status, head
    if path == "mcp-modern":
        body = _rpc("tools/call", **ECHO_CALL, _meta=MODERN_META)
        status, head, _ = _raw(port, "POST", "/mcp", {**JSON, "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call",
                                                      "Mcp-Name": "gateway_invoke", **credential}, body)
        return status, head
    if path == "mcp-backend":
        status, head, _ = _raw(port, "POST", "/mcp/alpha", {**JSON, **credential},
                               _rpc("tools/call", name="echo", arguments={"text": "leak"}))
        return status, head
    if path == "ws":
        status, head, _ = _raw(port, "GET", "/ws", {"Upgrade": "websocket", "Connection": "Upgrade",
                                                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                                     "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "mcp",
                                                     **credential})
        return status, head
    if path == "sse":
        status, head, _ = _raw(port, "GET", "/sse", {"Accept": "text/event-stream", **credential})
        return status, head
    assert path == "messages", path
    with _legacy_stream(gw, {"X-API-Key": ALICE}) as url:
        status, head, _ = _raw(port, "POST", url, {"Content-Type": "application/json", **credential},
                               _rpc("tools/call", **ECHO_CALL))
        return status, head


class _legacy_stream:
    """A live legacy SSE session opened with `credential`; yields its POST URL."""

    def __init__(self, gw: harness.Gateway, credential: dict[str, str]):
        self.gw, self.credential = gw, credential

    def __enter__(self) -> str:
        port = self.gw.port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        lines = ["GET /sse HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/event-stream"]
        lines += [f"{k}: {v}" for k, v in self.credential.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while b"data:" not in data or not data.split(b"data:", 1)[1].split(b"\n", 1)[1:]:
            chunk = self.sock.recv(4096)
            assert chunk, data
            data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data[:200]
        return data.split(b"data:", 1)[1].split(b"\n", 1)[0].strip().decode()

    def __exit__(self, *exc: Any) -> None:
        self.sock.close()


PATHS = ["mcp-initialize", "mcp-lean", "mcp-batch", "mcp-get", "mcp-delete", "mcp-modern", "mcp-backend", "ws", "sse",
         "messages"]
BAD_CREDENTIALS = {
    "none": {},
    "wrong-key": {"X-API-Key": "not-a-key-at-all-000000"},
    "wrong-bearer": {"Authorization": "Bearer " + ALICE[:-1]},
    "basic-scheme": {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
    "empty-bearer": {"Authorization": "Bearer "},
}


@pytest.mark.parametrize("credential", list(BAD_CREDENTIALS))
@pytest.mark.parametrize("path", PATHS)
def test_every_entry_path_refuses_a_missing_or_bad_credential(gw: harness.Gateway, record: Path,
                                                              path: str, credential: str) -> None:
    status, head = _attempt(gw, path, BAD_CREDENTIALS[credential])
    assert status == 401, f"{path} with {credential}: {status} {head[:300]!r}"
    assert b'www-authenticate: Bearer realm="mcp-gateway"' in head.lower().replace(b"bearer realm", b"Bearer realm"), head
    assert record.read_text() == "", "a refused request reached the backend"


@pytest.mark.parametrize("credential", [{"X-API-Key": ALICE}, {"Authorization": f"Bearer {OPS}"},
                                        {"Authorization": f"bearer {BEARER}"}])
def test_a_good_credential_is_admitted_on_each_path(gw: harness.Gateway, credential: dict[str, str]) -> None:
    assert _attempt(gw, "mcp-initialize", credential)[0] == 200
    assert _attempt(gw, "mcp-backend", credential)[0] == 200
    assert _attempt(gw, "mcp-modern", credential)[0] == 200
    assert _attempt(gw, "ws", credential)[0] == 101


async def _sdk_calls(url: str, headers: dict[str, str], mode: str) -> str:
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=30) as client:
            tools = await client.list_tools()
            assert "gateway_invoke" in [t.name for t in tools.tools]
            return harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": f"sdk-{mode}"}))


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_the_sdk_client_works_with_a_key(gw: harness.Gateway, record: Path, mode: str) -> None:
    before = record.read_text()
    assert anyio.run(_sdk_calls, gw.url, {"Authorization": f"Bearer {ALICE}"}, mode) == f"sdk-{mode}"
    assert record.read_text() == before + f"sdk-{mode}\n"


def test_the_sdk_legacy_sse_client_works_with_a_key(gw: harness.Gateway) -> None:
    async def run() -> str:
        from mcp import Client
        from mcp.client.sse import sse_client

        async with Client(sse_client(f"{gw.base}/sse", headers={"X-API-Key": BOB}), read_timeout_seconds=30) as client:
            return harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": "over-sse"}))

    assert anyio.run(run) == "over-sse"


def test_a_session_belongs_to_its_principal(gw: harness.Gateway, record: Path) -> None:
    """Bob presenting Alice's session ids gets exactly what an unknown id gets."""
    port = gw.port
    bob = {"X-API-Key": BOB}
    calls_before = record.read_text()
    with _alice_session(gw) as s:
        own = {"Mcp-Session-Id": s.session_id or "", "MCP-Protocol-Version": "2025-11-25"}
        unknown = {**own, "Mcp-Session-Id": "no-such-session"}
        for headers in (own, unknown):
            status, _, body = _raw(port, "POST", "/mcp", {**JSON, **headers, **bob}, _rpc("tools/call", **ECHO_CALL))
            assert status == 404 and b"Session not found" in body, body
            assert _raw(port, "GET", "/mcp", {"Accept": "text/event-stream", **headers, **bob})[0] == 404
            assert _raw(port, "DELETE", "/mcp", {**headers, **bob})[0] == 404
        # Still Alice's: her own requests go on.
        _, _, reply = s.request("tools/list")
        assert "result" in reply
    with _legacy_stream(gw, {"X-API-Key": ALICE}) as url:
        status, _, body = _raw(port, "POST", url, {"Content-Type": "application/json", **bob}, _rpc("ping"))
        assert status == 404 and b"Session not found" in body
        assert _raw(port, "POST", url, {"Content-Type": "application/json", "X-API-Key": ALICE}, _rpc("ping"))[0] == 202
    # /mcp/{backend} sessions too.
    status, head, _ = _raw(port, "POST", "/mcp/alpha", {**JSON, "X-API-Key": ALICE}, json.dumps(harness.initialize_body()).encode())
    assert status == 200
    direct = next(line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n") if line.lower().startswith(b"mcp-session-id:"))
    status, _, body = _raw(port, "POST", "/mcp/alpha", {**JSON, "Mcp-Session-Id": direct, **bob}, _rpc("ping"))
    assert status == 404 and b"Session not found" in body
    assert _raw(port, "DELETE", "/mcp/alpha", {"Mcp-Session-Id": direct, **bob})[0] == 404
    assert _raw(port, "DELETE", "/mcp/alpha", {"Mcp-Session-Id": direct, "X-API-Key": ALICE})[0] == 204
    assert record.read_text() == calls_before


def test_health_shows_backends_to_admins_only(gw: harness.Gateway) -> None:
    anonymous = httpx.get(f"{gw.base}/health", timeout=10)
    assert anonymous.status_code == 200 and set(anonymous.json()) == {"status"}
    alice = httpx.get(f"{gw.base}/health", headers={"X-API-Key": ALICE}, timeout=10)
    assert set(alice.json()) == {"status"}
    ops = httpx.get(f"{gw.base}/health", headers={"X-API-Key": OPS}, timeout=10).json()
    assert "alpha" in ops["backends"]
    assert BEARER not in json.dumps(ops) and ALICE not in json.dumps(ops)
    # /ready stays public.
    assert httpx.get(f"{gw.base}/ready", timeout=10).status_code == 200


def test_refusals_name_no_secret(gw: harness.Gateway) -> None:
    status, head, body = _raw(gw.port, "POST", "/mcp", {**JSON, "Authorization": f"Bearer {ALICE}x"},
                              json.dumps(harness.initialize_body()).encode())
    assert status == 401
    assert ALICE.encode() not in head + body
    assert b"Unauthorized" in body


def test_hash_key_prints_the_digest_a_config_can_hold() -> None:
    import subprocess

    out = subprocess.run([str(harness.gateway_bin()), "auth", "hash-key"], input=OPS + "\n", capture_output=True,
                         text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == hashlib.sha256(OPS.encode()).hexdigest()
    made = harness.run_cli("auth", "new-key", "--name", "ci", "--admin")
    key = made.stdout.split("key: ", 1)[1].split("\n", 1)[0]
    assert hashlib.sha256(key.encode()).hexdigest() in made.stdout and "admin: true" in made.stdout


def test_an_auto_token_is_printed_once_and_works(log_dir: Path) -> None:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"auth": {"bearer_token": "auto"}})
    with harness.running_gateway(harness.write_config(log_dir / "auth-auto.yaml", cfg), log_dir) as g:
        log = g.log.read_text()
        token = log.split("shown once: ", 1)[1].split()[0]
        assert token.startswith("mcp_") and log.count(token) == 1
        assert httpx.post(g.url, json=harness.initialize_body(), headers={**JSON}, timeout=10).status_code == 401
        r = httpx.post(g.url, json=harness.initialize_body(), headers={**JSON, "Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code == 200


def test_keys_in_a_bad_config_are_not_echoed(log_dir: Path) -> None:
    path = harness.write_config(log_dir / "auth-bad.yaml", harness.make_config({}, extra={"auth": {
        "api_keys": [{"name": "x", "key": "secret-value-123456789", "admin": "maybe"}, {"name": "y", "key": "short"}],
    }}))
    out = harness.run_cli("config", "validate", str(path))
    assert out.returncode != 0
    assert "secret-value-123456789" not in out.stdout + out.stderr and "short'" not in out.stdout + out.stderr
    assert "api_keys[1]" in out.stdout and "shorter than 16" in out.stdout


def test_origin_host_and_content_type_checks_still_apply_to_an_authenticated_caller(gw: harness.Gateway) -> None:
    key = {"X-API-Key": ALICE}
    body = json.dumps(harness.initialize_body()).encode()
    with socket.create_connection(("127.0.0.1", gw.port), timeout=10) as sock:
        sock.sendall(b"POST /mcp HTTP/1.1\r\nHost: rebind.attacker.example\r\nConnection: close\r\n"
                     + f"X-API-Key: {ALICE}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        assert sock.recv(64).startswith(b"HTTP/1.1 403")
    assert _raw(gw.port, "POST", "/mcp", {**JSON, **key, "Origin": "http://evil.example"}, body)[0] == 403
    assert _raw(gw.port, "POST", "/mcp", {"Content-Type": "text/plain", **key}, body)[0] == 415


def test_the_stdio_front_end_serves_its_configured_principal(log_dir: Path) -> None:
    """stdio needs no key with auth on: whoever started the process is auth.stdio_principal."""
    from mcp import Client
    from mcp.client.stdio import stdio_client

    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"auth": {
        "api_keys": [{"name": "alice", "key": ALICE}], "stdio_principal": "desk-user"}})
    config = harness.write_config(log_dir / "auth-stdio.yaml", cfg)
    errlog_path = log_dir / "auth-stdio.stderr.log"

    async def run() -> str:
        with open(errlog_path, "w") as errlog:
            async with Client(stdio_client(harness.gateway_stdio_params(config), errlog=errlog), read_timeout_seconds=30) as client:
                return harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": "from-stdio"}))

    assert anyio.run(run) == "from-stdio"
    log = errlog_path.read_text()
    assert "principal 'desk-user'" in log, log[-2000:]
    assert ALICE not in log
