"""Sealed session ids (issue 21, first slice): instances that share MCP_GATEWAY_SESSION_KEYS serve
each other's legacy-era sessions. Two gateways behind Debian's nginx, round-robin with no
stickiness: the official SDK client's session works whichever instance answers, and nginx's own
log shows its requests spread over both. Without shared keys the same setup breaks (the test can
fail). Straight to the instances: another principal, another key, a retired key and a deleted
session are refused; a rotated ring keeps the older key's sessions; a bad key stops the start."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import harness

pytestmark = pytest.mark.anyio

ALICE = "alice-key-0123456789abcdef"
BOB = "bob-key-0123456789abcdefgh"
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "sealed-test", "version": "1"}}}
LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}


def new_key() -> str:
    out = subprocess.run([str(harness.gateway_bin()), "cluster", "new-key"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


KEY_1, KEY_2, KEY_3 = new_key(), new_key(), new_key()


def config(d: Path, name: str) -> Path:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"auth": {"api_keys": [
        {"name": "alice", "key": ALICE}, {"name": "bob", "key": BOB}]}})
    cfg["meta_mcp"]["warm_start"] = ["*"]
    return harness.write_config(d / f"{name}.yaml", cfg)


def start(d: Path, name: str, keys: str | None) -> harness.Gateway:
    return harness.start_gateway(config(d, name), d, env={"MCP_GATEWAY_SESSION_KEYS": keys} if keys is not None else None)


def start_nginx(d: Path, upstreams: list[int]) -> tuple[subprocess.Popen[Any], int, Path]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "scripts/setup-test-env.sh installs nginx"
    port = harness.free_port()
    temp = d / "nginx-temp"
    temp.mkdir(exist_ok=True)
    paths = "\n".join(f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    access = d / "nginx-access.log"
    conf = d / "nginx.conf"
    conf.write_text(f"""
pid {d / 'nginx.pid'};
error_log {d / 'nginx-error.log'} info;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
{paths}
    log_format spread '$request_method $status $upstream_addr $http_mcp_session_id';
    access_log {access} spread;
    upstream gateways {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://gateways;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host:$server_port;
            proxy_buffering off;
            proxy_read_timeout 1h;
        }}
    }}
}}
""")
    check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(d)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(d), "-g", "daemon off;"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    harness._register(proc)
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline and proc.poll() is None, (d / "nginx-error.log").read_text()
        time.sleep(0.1)
    return proc, port, access


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    d = tmp_path_factory.mktemp("sealed")
    ring = f"{KEY_2},{KEY_1}"
    a, b = start(d, "a", ring), start(d, "b", ring)
    proc, port, access = start_nginx(d, [a.port, b.port])
    try:
        yield {"a": a, "b": b, "base": f"http://127.0.0.1:{port}", "access": access, "dir": d}
    finally:
        harness.kill_group(proc)
        a.stop()
        b.stop()
    for g in (a, b):
        log = g.log.read_text(errors="replace")
        for secret in (KEY_1, KEY_2, ALICE, BOB):
            assert secret not in log, "a key reached the log"


def sdk(base: str, key: str = ALICE) -> Any:
    class _Client:
        async def __aenter__(self) -> Any:
            self.http = httpx.AsyncClient(headers={"X-API-Key": key}, timeout=30)
            await self.http.__aenter__()
            self.client = Client(streamable_http_client(f"{base}/mcp", http_client=self.http), mode="legacy",
                                 read_timeout_seconds=30)
            return await self.client.__aenter__()

        async def __aexit__(self, *exc: Any) -> None:
            await self.client.__aexit__(*exc)
            await self.http.__aexit__(*exc)

    return _Client()


def initialize(port: int, key: str = ALICE) -> str:
    r = httpx.post(f"http://127.0.0.1:{port}/mcp", json=INIT, timeout=10,
                   headers={"X-API-Key": key, "Accept": "application/json, text/event-stream"})
    assert r.status_code == 200, r.text
    return r.headers["mcp-session-id"]


def list_tools(port: int, session: str, key: str = ALICE) -> httpx.Response:
    return httpx.post(f"http://127.0.0.1:{port}/mcp", json=LIST, timeout=10, headers={
        "X-API-Key": key, "Accept": "application/json, text/event-stream", "Mcp-Session-Id": session,
        "MCP-Protocol-Version": "2025-06-18"})


async def test_an_sdk_session_works_whichever_instance_answers(pair) -> None:
    async with sdk(pair["base"]) as c:
        for i in range(12):
            assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": f"call {i}"})) == f"call {i}"
        listed = await c.call_tool("gateway_list_servers", {})
        assert not listed.is_error
    # nginx's log: the session's requests (POSTs, its GET stream, its DELETE) went to both instances.
    lines = [line.split() for line in pair["access"].read_text().splitlines()]
    sessions = {parts[3] for parts in lines if len(parts) == 4 and parts[3].startswith("v1.")}
    assert len(sessions) == 1, sessions
    session = sessions.pop()
    served = {parts[2] for parts in lines if len(parts) == 4 and parts[3] == session}
    assert served == {f"127.0.0.1:{pair['a'].port}", f"127.0.0.1:{pair['b'].port}"}, served
    assert all(parts[1] in ("200", "202") for parts in lines if len(parts) == 4 and parts[3] == session and parts[0] == "POST")


async def test_several_sdk_sessions_at_once_through_the_balancer(pair) -> None:
    import anyio

    results: list[str] = []

    async def one(n: int) -> None:
        async with sdk(pair["base"]) as c:
            for i in range(4):
                results.append(harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": f"{n}-{i}"})))

    async with anyio.create_task_group() as group:
        for n in range(6):
            group.start_soon(one, n)
    assert sorted(results) == sorted(f"{n}-{i}" for n in range(6) for i in range(4))


def test_another_principal_is_refused_on_every_instance(pair) -> None:
    session = initialize(pair["a"].port)
    assert list_tools(pair["b"].port, session).status_code == 200
    for g in (pair["a"], pair["b"]):
        refused = list_tools(g.port, session, key=BOB)
        assert refused.status_code == 404 and "Session not found" in refused.text, refused.text


def test_an_altered_id_is_unknown(pair) -> None:
    session = initialize(pair["a"].port)
    head, _, sealed = session.rpartition(".")
    altered = head + "." + ("A" if sealed[5] != "A" else "B").join([sealed[:5], sealed[6:]])
    assert list_tools(pair["b"].port, altered).status_code == 404


def test_delete_on_one_instance_ends_the_session_there(pair) -> None:
    session = initialize(pair["a"].port)
    assert list_tools(pair["b"].port, session).status_code == 200
    gone = httpx.delete(f"http://127.0.0.1:{pair['b'].port}/mcp", timeout=10,
                        headers={"X-API-Key": ALICE, "Mcp-Session-Id": session})
    assert gone.status_code == 204, gone.text
    assert list_tools(pair["b"].port, session).status_code == 404


def test_rotation_keeps_sessions_and_a_retired_key_ends_them(pair) -> None:
    session = initialize(pair["a"].port)  # sealed with KEY_2, the pair's newest
    rotated = start(pair["dir"], "rotated", f"{KEY_3},{KEY_2}")
    retired = start(pair["dir"], "retired", KEY_3)
    unshared = start(pair["dir"], "unshared", None)
    try:
        assert list_tools(rotated.port, session).status_code == 200
        assert list_tools(retired.port, session).status_code == 404
        assert list_tools(unshared.port, session).status_code == 404
        # The rotated instance seals with its newest key: the retired-key instance (KEY_3 only)
        # opens it, the pair (KEY_2, KEY_1) does not until it takes the new key.
        newer = initialize(rotated.port)
        assert list_tools(retired.port, newer).status_code == 200
        assert list_tools(pair["a"].port, newer).status_code == 404
    finally:
        for g in (rotated, retired, unshared):
            g.stop()


async def test_without_shared_keys_the_same_setup_breaks(tmp_path: Path) -> None:
    a, b = start(tmp_path, "a", None), start(tmp_path, "b", None)
    proc, port, _ = start_nginx(tmp_path, [a.port, b.port])
    try:
        with pytest.raises(BaseException):
            async with sdk(f"http://127.0.0.1:{port}") as c:
                for i in range(6):
                    await harness.invoke(c, "alpha", "echo", {"text": f"call {i}"})
    finally:
        harness.kill_group(proc)
        a.stop()
        b.stop()


@pytest.mark.parametrize("value, expected", [
    ("not-base64!", "is not base64"),
    ("AAAA", "is 3 bytes"),
])
def test_an_unusable_key_stops_the_start_and_says_how_to_make_one(tmp_path: Path, value: str, expected: str) -> None:
    out = subprocess.run([str(harness.gateway_bin()), "serve", "--config", str(config(tmp_path, "bad")), "--port",
                          str(harness.free_port())], capture_output=True, text=True, timeout=30,
                         env=harness.gateway_env({"MCP_GATEWAY_SESSION_KEYS": f"{KEY_1},{value}"}))
    assert out.returncode == 2, out.stderr
    assert "MCP_GATEWAY_SESSION_KEYS" in out.stderr and expected in out.stderr and "cluster new-key" in out.stderr, out.stderr
    assert KEY_1 not in out.stderr and value not in out.stderr


def test_new_key_prints_32_random_bytes() -> None:
    import base64

    keys = {new_key() for _ in range(3)}
    assert len(keys) == 3
    for key in keys:
        assert len(base64.b64decode(key)) == 32


def test_a_direct_backend_session_moves_too_but_not_onto_mcp(pair) -> None:
    headers = {"X-API-Key": ALICE, "Accept": "application/json, text/event-stream"}
    r = httpx.post(f"http://127.0.0.1:{pair['a'].port}/mcp/alpha", json=INIT, headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    session = r.headers["mcp-session-id"]
    assert session.startswith("v1.")
    on_b = httpx.post(f"http://127.0.0.1:{pair['b'].port}/mcp/alpha", json=LIST, timeout=10,
                      headers={**headers, "Mcp-Session-Id": session})
    assert on_b.status_code == 200 and "echo" in on_b.text, on_b.text
    # Sealed for /mcp/{backend}: the same id is unknown on /mcp.
    assert list_tools(pair["b"].port, session).status_code == 404
